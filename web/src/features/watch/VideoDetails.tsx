import type { ReactNode } from 'react';
import type { Video } from '@/api/types';
import { formatBitrate, formatBytes, formatDateTime, formatDuration, formatSeconds } from '@/lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2 text-sm">
      <dt className="text-slate-400">{label}</dt>
      <dd className="text-right text-slate-200 tabular-nums">{children}</dd>
    </div>
  );
}

export function VideoDetails({ video }: { video: Video }) {
  const p = video.probe ?? {};
  const codecs = [video.video_codec, video.audio_codec].filter(Boolean).join(' / ') || '—';
  return (
    <section className="card p-5" aria-labelledby="details-title">
      <h2 id="details-title" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
        Details
      </h2>
      <dl className="mt-2 divide-y divide-slate-800">
        <Row label="Duration">{formatDuration(video.duration_seconds)}</Row>
        <Row label="Resolution">{video.width && video.height ? `${video.width}×${video.height}` : '—'}</Row>
        <Row label="Frame rate">{video.fps ? `${Number(video.fps.toFixed(2))} fps` : '—'}</Row>
        <Row label="Codecs">{codecs}</Row>
        <Row label="Bitrate">{formatBitrate(video.bitrate)}</Row>
        <Row label="Container">{p.container || video.container || video.file_extension}</Row>
        {p.pixel_format && (
          <Row label="Pixel format">
            {p.pixel_format}
            {p.bit_depth ? ` (${p.bit_depth}-bit)` : ''}
          </Row>
        )}
        {p.audio_codec && (
          <Row label="Audio">{`${p.audio_codec}${p.sample_rate ? `, ${p.sample_rate / 1000} kHz` : ''}${p.channels ? `, ${p.channels} ch` : ''}`}</Row>
        )}
        <Row label="Original size">{formatBytes(video.size)}</Row>
        {video.processed_bytes != null && video.processed_bytes > 0 && (
          <Row label="Processed outputs">{formatBytes(video.processed_bytes)}</Row>
        )}
        <Row label="Original file">
          <span className="break-all">{video.original_filename}</span>
        </Row>
        <Row label="Uploaded">{formatDateTime(video.uploaded_at)}</Row>
        <Row label="Processed">{formatDateTime(video.processed_timestamp)}</Row>
        <Row label="Processing time">{formatSeconds(video.processing_seconds)}</Row>
      </dl>
      {video.renditions.length > 0 && (
        <div className="mt-4">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-400">Renditions</h3>
          <div className="mt-2 overflow-x-auto">
            <table className="min-w-full text-xs">
              <thead>
                <tr className="text-slate-500">
                  <th scope="col" className="py-1 text-left font-medium">
                    Name
                  </th>
                  <th scope="col" className="py-1 text-left font-medium">
                    Size
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Bandwidth
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Segments
                  </th>
                </tr>
              </thead>
              <tbody className="text-slate-300">
                {video.renditions.map((r) => (
                  <tr key={r.name} title={r.codecs}>
                    <td className="py-1">
                      {r.name}
                      {r.copy && (
                        <span className="ml-1 rounded bg-slate-800 px-1 text-[10px] text-slate-400">copy</span>
                      )}
                    </td>
                    <td className="py-1 tabular-nums">
                      {r.width}×{r.height}
                    </td>
                    <td className="py-1 text-right tabular-nums">{formatBitrate(r.bandwidth)}</td>
                    <td className="py-1 text-right tabular-nums">{r.segments}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
