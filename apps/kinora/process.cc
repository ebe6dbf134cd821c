#include "process.h"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>

#include "kinora/core/log.h"
#include "kinora/media/probe.h"
#include "kinora/media/transcode.h"

namespace kinora::app {
namespace {

void WriteProgress(int fd, double share) {
  char line[32];
  int n = std::snprintf(line, sizeof line, "progress %.3f\n", share);
  if (n > 0 && ::write(fd, line, static_cast<size_t>(n)) < 0) {
    // The reader went away; the pipeline carries on and the exit status tells the story.
  }
}

bool WriteReport(const std::filesystem::path& path, const std::string& text) {
  if (path.empty()) return true;
  std::ofstream out(path, std::ios::trunc);
  out << text << '\n';
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int RunProcess(const ProcessArgs& args) {
  media::InstallLibavLogging();
  media::TranscodeOptions o;
  o.x264_preset = args.preset;
  o.crf = args.crf;
  o.allow_copy = args.allow_copy;
  if (args.progress_fd >= 0) {
    o.on_progress = [fd = args.progress_fd](double share) { WriteProgress(fd, share); };
  }
  auto report = media::Transcode(args.input, args.out_dir, o);
  if (!report) {
    const bool permanent = report.error().code == ErrorCode::kUnsupported;
    boost::json::object doc{{"error", report.error().message}, {"permanent", permanent}};
    const std::string text = boost::json::serialize(doc);
    WriteReport(args.report, text);
    std::fprintf(stderr, "kinora process: %s\n", report.error().message.c_str());
    if (!args.quiet) std::printf("%s\n", text.c_str());
    return permanent ? kExitUnprocessable : 1;
  }
  const std::string text = boost::json::serialize(media::ToJson(*report));
  if (!WriteReport(args.report, text)) {
    std::fprintf(stderr, "kinora process: cannot write %s\n", args.report.c_str());
    return 1;
  }
  if (!args.quiet) std::printf("%s\n", text.c_str());
  return 0;
}

}  // namespace kinora::app
