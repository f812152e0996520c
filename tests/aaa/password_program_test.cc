#include "aaa/password_program.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Scripts written to a private temporary directory.
// True while `pid` exists and is not a zombie. SIGKILL is delivered
// asynchronously: allow the kernel a moment (bounded) to finish the exit.
bool Running(pid_t pid) {
  for (int i = 0; i < 2000; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    size_t paren = line.rfind(')');
    if (paren == std::string::npos || paren + 2 >= line.size()) return false;
    char state = line[paren + 2];
    if (state == 'Z' || state == 'X') return false;
    timespec ts{0, 1'000'000};
    ::nanosleep(&ts, nullptr);
  }
  return true;
}

class PasswordProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp_pwprog_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0700);
    return path;
  }
  std::string dir_;
};

TEST_F(PasswordProgramTest, FirstLineIsThePasswordAndTheUserIsTheLastArgument) {
  auto prog = Script("pw", "echo \"pw-of-$1\"\necho second line\n");
  auto r = RunPasswordProgram(prog, "alice", milliseconds(5000));
  ASSERT_TRUE(r.password.has_value()) << r.error;
  EXPECT_EQ(*r.password, "pw-of-alice");
}

TEST_F(PasswordProgramTest, CommandArgumentsComeBeforeTheUser) {
  auto prog = Script("args", "printf '%s|%s|%s\\n' \"$#\" \"$1\" \"$2\"\n");
  auto r = RunPasswordProgram(prog + " -x", "bob", milliseconds(5000));
  ASSERT_TRUE(r.password.has_value()) << r.error;
  EXPECT_EQ(*r.password, "2|-x|bob");
}

TEST_F(PasswordProgramTest, UserNameIsOneArgumentTheShellNeverParses) {
  auto prog = Script("one", "printf '%s|%s\\n' \"$#\" \"$1\"\n");
  std::string marker = dir_ + "/pwned";
  std::string user = "a b;touch " + marker + " $(touch " + marker + ")";
  auto r = RunPasswordProgram(prog, user, milliseconds(5000));
  ASSERT_TRUE(r.password.has_value()) << r.error;
  EXPECT_EQ(*r.password, "1|" + user);
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(PasswordProgramTest, NoTrailingNewlineStillAPassword) {
  auto prog = Script("nonl", "printf 'secret'\n");
  auto r = RunPasswordProgram(prog, "u", milliseconds(5000));
  ASSERT_TRUE(r.password.has_value()) << r.error;
  EXPECT_EQ(*r.password, "secret");
}

TEST_F(PasswordProgramTest, FailingProgramGivesNoPassword) {
  auto prog = Script("fail", "echo would-be-password\nexit 3\n");
  auto r = RunPasswordProgram(prog, "u", milliseconds(5000));
  EXPECT_FALSE(r.password.has_value());
  EXPECT_EQ(r.error, "exit status 3");
  EXPECT_EQ(r.error.find("would-be"), std::string::npos);  // output never in the error
}

TEST_F(PasswordProgramTest, EmptyOutputOrEmptyFirstLineGivesNoPassword) {
  auto silent = Script("silent", "exit 0\n");
  auto r = RunPasswordProgram(silent, "u", milliseconds(5000));
  EXPECT_FALSE(r.password.has_value());
  EXPECT_EQ(r.error, "no password in its output");
  auto blank = Script("blank", "echo\necho later\n");
  EXPECT_FALSE(RunPasswordProgram(blank, "u", milliseconds(5000)).password.has_value());
}

TEST_F(PasswordProgramTest, MissingProgramGivesNoPassword) {
  auto r = RunPasswordProgram(dir_ + "/does-not-exist", "u", milliseconds(5000));
  EXPECT_FALSE(r.password.has_value());
  EXPECT_EQ(r.error, "exit status 127");  // the shell's "command not found"
}

TEST_F(PasswordProgramTest, HangingProgramIsKilledAtTheTimeout) {
  std::string pidfile = dir_ + "/pid";
  auto prog = Script("hang", "echo $$ > " + pidfile + "\nexec sleep 30\n");
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunPasswordProgram(prog, "u", milliseconds(300));
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(r.password.has_value());
  EXPECT_EQ(r.error, "no answer within 300 ms; killed");
  EXPECT_LT(took, std::chrono::seconds(5));
  // The program (a grandchild: sh -c runs it) is not left running. It died
  // with its process group; as a zombie it waits for init to reap it.
  pid_t pid = 0;
  std::ifstream(pidfile) >> pid;
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(Running(pid));
}

TEST_F(PasswordProgramTest, BadUserNamesAreNotRun) {
  auto prog = Script("pw", "echo x\n");
  EXPECT_FALSE(RunPasswordProgram(prog, "", milliseconds(5000)).password.has_value());
  EXPECT_FALSE(
      RunPasswordProgram(prog, std::string("a\0b", 3), milliseconds(5000)).password.has_value());
}

}  // namespace
}  // namespace mlppp::aaa
