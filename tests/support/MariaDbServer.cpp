#include "MariaDbServer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rport::test {

namespace {

constexpr const char* kServerBinary = "/usr/sbin/mariadbd";
// Small InnoDB files: the data directory stays around 30 MB and installs in
// well under a second.
constexpr const char* kLogFileSize = "--innodb-log-file-size=8M";
constexpr const char* kBufferPoolSize = "--innodb-buffer-pool-size=32M";
constexpr int kStartTimeoutMs = 60000;
constexpr int kStopTimeoutMs = 20000;
constexpr int kQueryTimeoutMs = 60000;

using Clock = std::chrono::steady_clock;

bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

bool onPath(const std::string& tool) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && executable(dir + "/" + tool)) return true;
    return false;
}

// A port nobody listens on right now. The server binds it a moment later;
// another process grabbing it in between is possible but unlikely.
uint16_t freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
              ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot find a free loopback port");
    return ntohs(addr.sin_port);
}

// Forks and execs argv[0] (searched on PATH) with stdout and stderr going to
// the given files. dieWithParent: the child is killed when this process ends.
pid_t spawn(const std::vector<std::string>& argv, const std::string& outPath,
            const std::string& errPath, bool dieWithParent) {
    std::vector<std::string> args = argv;
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (dieWithParent) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        int in = ::open("/dev/null", O_RDONLY);
        int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execvp(cargs[0], cargs.data());
        ::_exit(127);
    }
    return pid;
}

// Waits for pid to exit; returns its exit code, 128+signal, or -1 when it
// was still running after timeoutMs (it is then killed and reaped).
int waitForExit(pid_t pid, int timeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int status = 0;
    for (;;) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0) return -1;
        if (Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

struct ToolResult {
    int exitCode;
    std::string out;
    std::string err;
};

// Runs a command-line tool to completion, capturing its output in files
// under scratchDir (several threads may run tools at once).
ToolResult runTool(const std::vector<std::string>& argv, const std::string& scratchDir,
                   int timeoutMs) {
    static std::atomic<unsigned> counter{0};
    std::string base =
        scratchDir + "/tool-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    pid_t pid = spawn(argv, base + ".out", base + ".err", true);
    ToolResult r{waitForExit(pid, timeoutMs), readFile(base + ".out"), readFile(base + ".err")};
    std::remove((base + ".out").c_str());
    std::remove((base + ".err").c_str());
    return r;
}

std::string currentUserName() {
    if (::geteuid() == 0) return "root";
    const passwd* pw = ::getpwuid(::geteuid());
    return pw ? pw->pw_name : "root";
}

// A SQL string literal for values we chose ourselves (no quotes inside).
std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

bool MariaDbServer::installed() {
    return executable(kServerBinary) && onPath("mariadb-install-db") && onPath("mariadb-admin") &&
           onPath("mariadb");
}

MariaDbServer::MariaDbServer()
    : _dataDir(_dir.file("data")), _socket(_dir.file("mysqld.sock")), _rootUser(currentUserName()) {
    if (!installed())
        throw std::runtime_error(
            std::string("MariaDB server not installed (need ") + kServerBinary +
            ", mariadb-install-db, mariadb-admin, mariadb): apt-get install mariadb-server");
    _port = freeLoopbackPort();
    install();
    start();
    waitUntilReady();
    createTestAccount();
}

MariaDbServer::~MariaDbServer() {
    try {
        stop();
    } catch (...) {
        if (_pid > 0) kill();
    }
}

std::string MariaDbServer::hostPort() const { return "127.0.0.1:" + std::to_string(_port); }

void MariaDbServer::install() {
    // A temporary directory of its own: in the shared /tmp, two instances
    // starting at once (ctest -j) have been seen to lose each other's
    // "#sql-temptable-*" files, and the bootstrap then aborts.
    ::mkdir(_dir.file("tmp").c_str(), 0700);
    std::vector<std::string> args{"mariadb-install-db", "--no-defaults", "--datadir=" + _dataDir,
                                  "--tmpdir=" + _dir.file("tmp"),
                                  // root (or the user running the tests) logs in through
                                  // the socket by OS identity: no password to manage.
                                  "--auth-root-authentication-method=socket", "--skip-test-db",
                                  kLogFileSize, kBufferPoolSize};
    if (::geteuid() == 0)
        args.push_back("--user=root");
    else
        args.push_back("--auth-root-socket-user=" + _rootUser);
    ToolResult r = runTool(args, _dir.path(), kStartTimeoutMs);
    if (r.exitCode != 0)
        throw std::runtime_error("mariadb-install-db failed (" + std::to_string(r.exitCode) +
                                 "): " + r.out + r.err);
}

void MariaDbServer::start() {
    std::vector<std::string> args{kServerBinary, "--no-defaults", "--datadir=" + _dataDir,
                                  "--tmpdir=" + _dir.file("tmp"), "--bind-address=127.0.0.1", "--port=" + std::to_string(_port),
                                  "--socket=" + _socket, "--pid-file=" + _dir.file("mariadbd.pid"),
                                  "--log-error=" + _dir.file("error.log"), "--skip-name-resolve",
                                  kLogFileSize, kBufferPoolSize,
                                  // Tests do not need every commit on disk: faster seeding.
                                  "--innodb-flush-log-at-trx-commit=2"};
    // mariadbd refuses to run as root unless told to.
    if (::geteuid() == 0) args.push_back("--user=root");
    _pid = spawn(args, _dir.file("stdout.log"), _dir.file("stderr.log"), true);
    _paused = false;
}

void MariaDbServer::waitUntilReady() {
    auto deadline = Clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(_pid, &status, WNOHANG) == _pid) {
            _pid = -1;
            throw std::runtime_error("mariadbd exited while starting:\n" + log());
        }
        ToolResult r = runTool(
            {"mariadb-admin", "--no-defaults", "--socket=" + _socket, "-u" + _rootUser, "ping"},
            _dir.path(), 5000);
        if (r.exitCode == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill();
    throw std::runtime_error("mariadbd did not answer within 60 s:\n" + log());
}

void MariaDbServer::createTestAccount() {
    std::string db = "`" + _database + "`";
    std::string sql = "CREATE DATABASE " + db + " CHARACTER SET utf8mb4;";
    for (const char* from : {"127.0.0.1", "localhost"}) {
        std::string account = quoted(_user) + "@" + quoted(from);
        sql += "CREATE USER " + account + " IDENTIFIED BY " + quoted(_password) + ";";
        sql += "GRANT ALL PRIVILEGES ON " + db + ".* TO " + account + ";";
    }
    execRoot(sql);
}

std::string MariaDbServer::execRoot(const std::string& sql) const {
    ToolResult r = runTool({"mariadb", "--no-defaults", "--socket=" + _socket, "-u" + _rootUser,
                            "--batch", "--skip-column-names", "-e", sql},
                           _dir.path(), kQueryTimeoutMs);
    if (r.exitCode != 0)
        throw std::runtime_error("mariadb client failed (" + std::to_string(r.exitCode) +
                                 ") running [" + sql + "]: " + r.err);
    return r.out;
}

void MariaDbServer::stop() {
    if (_pid <= 0) return;
    if (_paused) resume();
    runTool({"mariadb-admin", "--no-defaults", "--socket=" + _socket, "-u" + _rootUser, "shutdown"},
            _dir.path(), kStopTimeoutMs);
    reap(kStopTimeoutMs);
}

void MariaDbServer::kill() {
    if (_pid <= 0) return;
    ::kill(_pid, SIGKILL);
    ::waitpid(_pid, nullptr, 0);
    _pid = -1;
    _paused = false;
}

void MariaDbServer::restart() {
    if (_pid > 0) throw std::logic_error("MariaDbServer::restart: the server is still running");
    start();
    waitUntilReady();
}

void MariaDbServer::pause() {
    if (_pid <= 0 || _paused) return;
    ::kill(_pid, SIGSTOP);
    ::waitpid(_pid, nullptr, WUNTRACED);  // returns once it has really stopped
    _paused = true;
}

void MariaDbServer::resume() {
    if (_pid <= 0 || !_paused) return;
    ::kill(_pid, SIGCONT);
    ::waitpid(_pid, nullptr, WCONTINUED);
    _paused = false;
}

void MariaDbServer::reap(int timeoutMs) {
    waitForExit(_pid, timeoutMs);
    _pid = -1;
    _paused = false;
}

std::string MariaDbServer::log() const {
    std::string text = readFile(_dir.file("error.log")) + readFile(_dir.file("stdout.log")) +
                       readFile(_dir.file("stderr.log"));
    constexpr size_t kTail = 4000;
    return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

}  // namespace rport::test
