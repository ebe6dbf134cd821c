import type { StoryboardTile } from '@/lib/content/vtt';
import { cn } from '@/lib/cn';

/**
 * One storyboard tile cut from its sprite sheet and scaled to `width` pixels (the height follows
 * the tile's aspect ratio). The sheet's size is not needed: the tile is drawn at its own size and
 * scaled as a whole.
 */
export function StoryboardTileView({
  tile,
  width,
  className,
  label,
}: {
  tile: StoryboardTile;
  width: number;
  className?: string;
  /** Accessible name; the tile is decorative without one. */
  label?: string;
}) {
  const scale = width / tile.w;
  const height = Math.round(tile.h * scale);
  return (
    <div
      className={cn('relative shrink-0 overflow-hidden bg-black', className)}
      style={{ width, height }}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      data-testid="storyboard-tile"
    >
      <div
        className="absolute left-0 top-0 origin-top-left"
        style={{
          width: tile.w,
          height: tile.h,
          backgroundImage: `url("${tile.url.replace(/"/g, '%22')}")`,
          backgroundPosition: `${-tile.x}px ${-tile.y}px`,
          backgroundRepeat: 'no-repeat',
          transform: `scale(${scale})`,
        }}
      />
    </div>
  );
}
