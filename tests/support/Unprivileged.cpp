#include "Unprivileged.h"

#include <cppunit/extensions/HelperMacros.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

namespace rport::test {
namespace {

constexpr size_t kMaxAnswer = 64 * 1024;
constexpr int kExitThrew = 3;
constexpr int kExitCannotDrop = 4;

void writeAll(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<size_t>(n);
    }
}

[[noreturn]] void runChild(int fd, const std::function<std::string()>& check) {
    if (::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
        ::setresuid(kNobody, kNobody, kNobody) != 0)
        ::_exit(kExitCannotDrop);
    int status = 0;
    std::string answer;
    try {
        answer = check();
    } catch (const std::exception& e) {
        answer = e.what();
        status = kExitThrew;
    } catch (...) {
        answer = "an exception that is not a std::exception";
        status = kExitThrew;
    }
    writeAll(fd, answer);
    ::_exit(status);  // no atexit handlers, no second flush of the parent's buffers
}

enum class Reading { Complete, TimedOut, TooLong };

// Reads the child's answer until it closes the pipe, the deadline passes or
// the answer outgrows kMaxAnswer.
Reading readAnswer(int fd, std::chrono::steady_clock::time_point deadline, std::string& answer) {
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return Reading::TimedOut;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return Reading::TimedOut;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Reading::Complete;
        answer.append(buffer, static_cast<size_t>(n));
        if (answer.size() > kMaxAnswer) return Reading::TooLong;
    }
}

}  // namespace

uid_t unprivilegedUid() { return ::geteuid() == 0 ? kNobody : ::geteuid(); }

std::string asUnprivilegedUser(const std::function<std::string()>& check,
                               std::chrono::milliseconds limit) {
    if (::geteuid() != 0) return check();
    int fds[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(fds));
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        CPPUNIT_FAIL("fork failed");
    }
    if (child == 0) {
        ::close(fds[0]);
        runChild(fds[1], check);
    }
    ::close(fds[1]);
    std::string answer;
    const Reading reading = readAnswer(fds[0], std::chrono::steady_clock::now() + limit, answer);
    ::close(fds[0]);
    if (reading != Reading::Complete) ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    CPPUNIT_ASSERT_MESSAGE("the unprivileged check did not answer in time",
                           reading != Reading::TimedOut);
    CPPUNIT_ASSERT_MESSAGE("the unprivileged check answered more than 64 KB",
                           reading != Reading::TooLong);
    CPPUNIT_ASSERT_MESSAGE("could not drop to uid 65534 for the check",
                           !(WIFEXITED(status) && WEXITSTATUS(status) == kExitCannotDrop));
    CPPUNIT_ASSERT_MESSAGE("the unprivileged check threw: " + answer,
                           !(WIFEXITED(status) && WEXITSTATUS(status) == kExitThrew));
    CPPUNIT_ASSERT_MESSAGE("the unprivileged check did not finish normally",
                           WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return answer;
}

}  // namespace rport::test
