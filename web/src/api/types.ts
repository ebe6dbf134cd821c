// The app's names for the API's types. Every one is taken from schema.gen.ts, which
// openapi-typescript generates from ../api/openapi.json (`npm run api:generate`; `npm run
// api:check` fails when it is stale), so the app and the contract cannot drift apart. No type
// here is written by hand: change the OpenAPI document, regenerate, and let tsc show what moved.
// (The two helpers at the end are checked against the generated status union.)

import type { components, operations } from './schema.gen';

type Schemas = components['schemas'];

/** The JSON body that operation `Op` answers with on HTTP `Status`. */
export type ResponseBody<
  Op extends keyof operations,
  Status extends keyof operations[Op]['responses'],
> = operations[Op]['responses'][Status] extends { content: { 'application/json': infer Body } } ? Body : never;

export type VideoStatus = Schemas['VideoStatus'];
export type Video = Schemas['Video'];
export type VideoExtension = Video['file_extension'];
export type Rendition = Schemas['Rendition'];
export type Probe = Schemas['Probe'];
export type VideoList = Schemas['VideoList'];
export type UploadResponse = Schemas['UploadResponse'];
export type DeleteResponse = Schemas['DeleteResponse'];
export type CounterResponse = Schemas['CounterResponse'];
export type DayCount = Schemas['DayCount'];
export type DurationBucket = Schemas['DurationBucket'];
export type Stats = Schemas['Stats'];
/** RFC 9457 problem document, plus the request's correlation id. */
export type Problem = Schemas['Problem'];

export type SortBy = components['parameters']['SortBy'];
export type SortOrder = components['parameters']['Order'];
/** Query of GET /api/analytics/videos. */
export type ListVideosParams = NonNullable<operations['listVideos']['parameters']['query']>;
/** Multipart fields of POST /api/uploader/upload. */
export type UploadFields = operations['uploadVideo']['requestBody']['content']['multipart/form-data'];

// Every status, in the order people meet them. A Record over the generated union makes tsc
// refuse a missing or unknown status here.
const STATUS_ORDER: Record<VideoStatus, number> = { UPLOADED: 0, PROCESSING: 1, PROCESSED: 2, FAILED: 3 };
export const VIDEO_STATUSES = (Object.keys(STATUS_ORDER) as VideoStatus[]).sort(
  (a, b) => STATUS_ORDER[a] - STATUS_ORDER[b],
);

/** Whether a video is done changing: PROCESSED or FAILED, not still UPLOADED or PROCESSING. */
export function isSettled(status: VideoStatus): boolean {
  return status === 'PROCESSED' || status === 'FAILED';
}
