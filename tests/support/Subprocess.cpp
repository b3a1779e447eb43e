#include "Subprocess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "TempDir.h"

extern char** environ;

namespace rport::test {

namespace {

using Clock = std::chrono::steady_clock;

int decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// PATH lookup done before fork(): the child may only call async-signal-safe
// functions when the test has other threads.
std::string resolve(const std::string& tool) {
    if (tool.find('/') != std::string::npos) return tool;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::string candidate = dir + "/" + tool;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

// A socket of the given type bound to 127.0.0.1:port (0: any); -1 on failure.
int bindLoopback(int type, uint16_t port, uint16_t* boundPort) {
    int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        return -1;
    }
    if (boundPort) *boundPort = ntohs(addr.sin_port);
    return fd;
}

}  // namespace

bool toolInstalled(const std::string& tool) {
    std::string path = resolve(tool);
    return !path.empty() && ::access(path.c_str(), X_OK) == 0;
}

pid_t spawnProcess(const std::vector<std::string>& argv, const std::string& logPath,
                   const EnvVars& env, const std::string& workDir) {
    if (argv.empty()) throw std::invalid_argument("spawnProcess: empty command");
    const std::string binary = resolve(argv[0]);
    if (binary.empty()) throw std::runtime_error(argv[0] + ": not found on PATH");

    // Everything the child needs is built here, before fork().
    std::vector<std::string> args = argv;
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);

    std::map<std::string, std::string> vars;
    for (char** e = environ; e && *e; ++e) {
        const char* eq = std::strchr(*e, '=');
        if (eq) vars[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
    }
    for (const auto& [key, value] : env) vars[key] = value;
    std::vector<std::string> envStrings;
    for (const auto& [key, value] : vars) envStrings.push_back(key + "=" + value);
    std::vector<char*> cenv;
    for (auto& s : envStrings) cenv.push_back(s.data());
    cenv.push_back(nullptr);

    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
        ::setpgid(0, 0);  // its own group: a terminal's ^C reaches the test only
        int in = ::open("/dev/null", O_RDONLY);
        int out = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0) ::_exit(127);
        if (!workDir.empty() && ::chdir(workDir.c_str()) != 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execve(binary.c_str(), cargs.data(), cenv.data());
        ::_exit(127);
    }
    return pid;
}

bool exited(pid_t pid, int* exitCode) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
        if (exitCode) *exitCode = decode(status);
        return true;
    }
    if (r < 0) {  // not our child (any more)
        if (exitCode) *exitCode = -1;
        return true;
    }
    return false;
}

int waitForExit(pid_t pid, int timeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int code = -1;
    for (;;) {
        if (exited(pid, &code)) return code;
        if (Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

int terminateProcess(pid_t pid, int graceMs) {
    if (pid <= 0) return -1;
    ::kill(pid, SIGTERM);
    return waitForExit(pid, graceMs);
}

ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& scratchDir,
                         const EnvVars& env, int timeoutMs) {
    static std::atomic<unsigned> counter{0};
    const std::string log = scratchDir + "/run-" + std::to_string(::getpid()) + "-" +
                            std::to_string(counter++) + ".log";
    std::remove(log.c_str());
    ProcessResult r;
    auto start = Clock::now();
    pid_t pid = spawnProcess(argv, log, env);
    r.exitCode = waitForExit(pid, timeoutMs);
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.output = readFile(log);
    std::remove(log.c_str());
    return r;
}

uint16_t freeLoopbackPort(bool withUdp) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        uint16_t port = 0;
        int tcp = bindLoopback(SOCK_STREAM, 0, &port);
        if (tcp < 0) throw std::runtime_error("cannot bind a loopback TCP socket");
        bool ok = true;
        if (withUdp) {
            int udp = bindLoopback(SOCK_DGRAM, port, nullptr);
            ok = udp >= 0;
            if (udp >= 0) ::close(udp);
        }
        ::close(tcp);
        if (ok) return port;
    }
    throw std::runtime_error("cannot find a free loopback port");
}

bool tcpPortOpen(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return open;
}

std::string tail(const std::string& text, size_t maxBytes) {
    return text.size() > maxBytes ? "..." + text.substr(text.size() - maxBytes) : text;
}

std::string shellOutput(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return output;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
    return output;
}

}  // namespace rport::test
