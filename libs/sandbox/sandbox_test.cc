#include "kinora/sandbox/sandbox.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <thread>

namespace kinora::sandbox {
namespace {

using namespace std::chrono_literals;

Outcome Sh(const std::string& script, Limits l = {}, Callbacks cb = {}) {
  auto r = sandbox::Run({"/bin/sh", "-c", script}, l, cb);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : Outcome{};
}

TEST(Sandbox, ReportsExitStatusStderrAndProgressLines) {
  std::vector<std::string> lines;
  Callbacks cb;
  cb.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  Outcome o =
      Sh("echo 'progress 0.5' >&3; printf 'progress 1' >&3; echo oops >&2; echo\n"
         "echo 'progress 1.0' >&3; exit 3",
         {}, cb);
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_FALSE(o.ok());
  EXPECT_EQ(o.stderr_tail, "oops\n");
  EXPECT_EQ(lines, (std::vector<std::string>{"progress 0.5", "progress 1progress 1.0"}));
}

TEST(Sandbox, FeedsStdinFromTheGivenDescriptor) {
  FILE* in = std::tmpfile();
  ASSERT_NE(in, nullptr);
  std::fputs("hello child\n", in);
  std::fflush(in);
  std::rewind(in);
  std::vector<std::string> lines;
  Callbacks cb;
  cb.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto r = sandbox::Run({"/bin/sh", "-c", "cat >&3"}, {}, cb, fileno(in));
  std::fclose(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(lines, (std::vector<std::string>{"hello child"}));
  // Without one, stdin is empty (/dev/null).
  lines.clear();
  Outcome o = Sh("cat >&3; echo end >&3", {}, cb);
  EXPECT_EQ(lines, (std::vector<std::string>{"end"}));
}

TEST(Sandbox, ACrashIsASignalNotAnError) {
  Outcome o = Sh("kill -SEGV $$");
  EXPECT_EQ(o.signal, SIGSEGV);
  EXPECT_EQ(o.Describe({}), "the decoder crashed (SIGSEGV)");
}

TEST(Sandbox, WatchdogKillsAHang) {
  Limits l;
  l.wall = 1s;
  Outcome o = Sh("sleep 30", l);
  EXPECT_TRUE(o.timed_out);
  EXPECT_LT(o.wall_seconds, 10);
  EXPECT_EQ(o.Describe(l), "it took longer than 1 s and was stopped");
}

TEST(Sandbox, StallKillsAChildThatStopsReportingProgress) {
  Limits l;
  l.stall = 1s;
  Outcome o = Sh("echo 'progress 0.1' >&3; sleep 30", l);
  EXPECT_TRUE(o.stalled);
  EXPECT_NE(o.Describe(l).find("no progress"), std::string::npos);
}

TEST(Sandbox, CpuLimitStopsASpinningChild) {
  Limits l;
  l.cpu = 1s;
  Outcome o = Sh("while :; do :; done", l);
  EXPECT_TRUE(o.signal == SIGXCPU || o.signal == SIGKILL) << o.signal;
  EXPECT_EQ(o.Describe(l), "it used more than 1 s of CPU time");
}

#if !defined(__SANITIZE_ADDRESS__)
TEST(Sandbox, MemoryLimitStopsARunawayAllocation) {
  Limits l;
  l.memory_bytes = 256 << 20;
  // python3 is on every machine that runs the tests (the integration suite needs it).
  auto r = sandbox::Run({"/usr/bin/python3", "-c", "x = bytearray(1 << 30)"}, l, {});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok());
  EXPECT_NE(r->stderr_tail.find("MemoryError"), std::string::npos) << r->stderr_tail;
}
#endif

TEST(Sandbox, CancelKillsTheChild) {
  std::atomic<bool> cancel{false};
  Callbacks cb;
  cb.cancel = &cancel;
  std::thread t([&] {
    std::this_thread::sleep_for(300ms);
    cancel = true;
  });
  Outcome o = Sh("sleep 30", {}, cb);
  t.join();
  EXPECT_TRUE(o.cancelled);
  EXPECT_EQ(o.signal, SIGKILL);
}

TEST(Sandbox, TicksWhileTheChildRuns) {
  int ticks = 0;
  Limits l;
  l.tick = 100ms;
  Callbacks cb;
  cb.on_tick = [&] { ++ticks; };
  Sh("sleep 1", l, cb);
  EXPECT_GE(ticks, 3);
}

TEST(Sandbox, AMissingProgramExits127) {
  auto r = sandbox::Run({"/nonexistent/program"}, {}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 127);
}

}  // namespace
}  // namespace kinora::sandbox
