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
  const std::string line = processor::FormatProgressLine(share);
  if (::write(fd, line.data(), line.size()) < 0) {
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

int RunProcess(const processor::ChildRequest& args) {
  media::InstallLibavLogging();
  media::TranscodeOptions o;
  o.x264_preset = args.preset;
  o.crf = args.crf;
  o.allow_copy = args.allow_copy;
  o.analyze = args.analyze;
  o.limits = args.limits;
  if (args.progress_fd >= 0) {
    o.on_progress = [fd = args.progress_fd](double share) { WriteProgress(fd, share); };
  }
  auto report = media::Transcode(args.input, args.out_dir, o);
  if (!report) {
    const bool permanent = report.error().code == ErrorCode::kUnsupported;
    const std::string text =
        boost::json::serialize(processor::FailureReport({report.error().message, permanent}));
    WriteReport(args.report, text);
    std::fprintf(stderr, "kinora process: %s\n", report.error().message.c_str());
    if (!args.quiet) std::printf("%s\n", text.c_str());
    return permanent ? processor::child::kExitUnprocessable : processor::child::kExitFailed;
  }
  const std::string text = boost::json::serialize(media::ToJson(*report));
  if (!WriteReport(args.report, text)) {
    std::fprintf(stderr, "kinora process: cannot write %s\n", args.report.c_str());
    return processor::child::kExitFailed;
  }
  if (!args.quiet) std::printf("%s\n", text.c_str());
  return processor::child::kExitOk;
}

}  // namespace kinora::app
