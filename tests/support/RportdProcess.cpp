#include "RportdProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "TempDir.h"

namespace rport::test {

namespace {

pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::string& workDir, const std::string& logPath) {
    std::vector<std::string> argvStrings{binary};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argvStrings) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = ::open("/dev/null", O_RDONLY);
        if (fd < 0 || nul < 0 || ::chdir(workDir.c_str()) != 0) ::_exit(127);
        ::dup2(nul, 0);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

int decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::string tempLogPath() {
    char name[] = "/tmp/rportd-test-log-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd >= 0) ::close(fd);
    return name;
}

}  // namespace

std::string rportdBinary() { return buildDir() + "/bin/rportd"; }

RunResult runRportd(const std::vector<std::string>& args, const std::string& workDir, int timeoutMs,
                    const std::string& binary) {
    RportdProcess p(args, workDir, binary);
    int code = p.wait(timeoutMs);
    return RunResult{code, p.output()};
}

RportdProcess::RportdProcess(const std::vector<std::string>& args, const std::string& workDir,
                             const std::string& binary)
    : _logPath(tempLogPath()) {
    _pid = spawn(binary, args, workDir, _logPath);
}

RportdProcess::~RportdProcess() {
    if (!_reaped && _pid > 0) {
        ::kill(_pid, SIGKILL);
        int status;
        ::waitpid(_pid, &status, 0);
    }
    ::unlink(_logPath.c_str());
}

std::string RportdProcess::output() const { return readFile(_logPath); }

bool RportdProcess::waitForOutput(const std::string& needle, int timeoutMs) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (output().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return output().find(needle) != std::string::npos;
}

std::string RportdProcess::waitForPattern(const std::regex& pattern, int timeoutMs,
                                          const std::string& what) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        std::string out = output();
        if (std::regex_search(out, m, pattern)) return m[1];
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error(what + "; output:\n" + output());
}

uint16_t RportdProcess::waitForApiPort(int timeoutMs) const {
    static const std::regex listening(R"(API Listening on [^\s]*:(\d+)( \(HTTPS?\))?\.\.\.)");
    return static_cast<uint16_t>(
        std::stoi(waitForPattern(listening, timeoutMs, "rportd did not start listening")));
}

uint16_t RportdProcess::waitForClientPort(int timeoutMs) const {
    static const std::regex listening(R"(client-listener: Listening on [^\s]*:(\d+))");
    return static_cast<uint16_t>(
        std::stoi(waitForPattern(listening, timeoutMs, "rportd's client listener did not start")));
}

std::string RportdProcess::fingerprint(int timeoutMs) const {
    static const std::regex logged(R"(Fingerprint ([0-9a-f]{2}(:[0-9a-f]{2}){15}))");
    return waitForPattern(logged, timeoutMs, "rportd logged no fingerprint");
}

bool RportdProcess::running() {
    if (_reaped) return false;
    int status;
    pid_t r = ::waitpid(_pid, &status, WNOHANG);
    if (r == _pid) {
        _reaped = true;
        _exitCode = decode(status);
        return false;
    }
    return true;
}

int RportdProcess::wait(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(_pid, SIGKILL);
            int status;
            ::waitpid(_pid, &status, 0);
            _reaped = true;
            return _exitCode = -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return _exitCode;
}

int RportdProcess::stop(int sig, int timeoutMs) {
    if (running()) ::kill(_pid, sig);
    return wait(timeoutMs);
}

}  // namespace rport::test
