// `kinora upload FILE --server URL [--token T]`: sends a video to a Kinora instance over tus 1.0
// (docs/uploads.md) in chunks, resumably. The upload URL is kept in the user's state file
// ($XDG_STATE_HOME/kinora/uploads.json) under the file's absolute path, size, mtime and the
// server until the upload succeeds, so running the same command again after an interruption
// (Ctrl-C, a kill, a network drop) continues from the server's offset.
// stdout carries only the result (the video id, or JSON with --json); progress goes to stderr.
// Thread safety: main()'s thread only.
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace kinora::app {

struct UploadArgs {
  std::string file;
  std::string server;
  std::string token;  // else KINORA_TOKEN
  std::string title;
  std::string description;
  std::string visibility;
  // One PATCH per 64 MiB: on loopback 8 MiB PATCHes reached ~0.86x the single POST's MB/s and
  // 64 MiB ~1.0x (each PATCH ends in an fdatasync); 64 MiB stays under common 100 MB proxy caps.
  uint64_t chunk_size = 64 * 1024 * 1024;
  bool no_resume = false;
  bool json = false;
  // Upload-Checksum (sha1) with every PATCH: off by default, as in tus-js-client (TCP and TLS
  // already check what crosses the connection); hashing on both ends cost ~0.3x of the MB/s.
  bool checksum = false;
};

// Adds the `upload` subcommand to `app`, filling `args`.
CLI::App* AddUploadCommand(CLI::App& app, UploadArgs& args);

// Exit codes: 0 uploaded (the video id printed), 1 refused by the server (its problem
// document's detail shown) or failed after the retries (run it again to continue), 2 bad
// arguments, 130 interrupted by SIGINT/SIGTERM (run it again to continue).
int RunUpload(const UploadArgs& args);

}  // namespace kinora::app
