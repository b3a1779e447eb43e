#pragma once
// Child processes for tests that drive external tools (pebble, certbot,
// openssl...): start one in the background or run one to completion, with
// its output in a file, extra environment variables, and a guaranteed end
// (children die with the test process; stopping falls back to SIGKILL).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rport::test {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// True when tool (a name searched on PATH, or a path) can be executed.
bool toolInstalled(const std::string& tool);

// Starts argv[0] (searched on PATH) with stdin from /dev/null and stdout and
// stderr appended to logPath. env adds to (or overrides) this process's
// environment. The child gets SIGKILL when the test process dies -- strictly,
// when the thread that called spawnProcess ends (PR_SET_PDEATHSIG), so spawn
// long-lived servers from the main thread or a thread that outlives them.
pid_t spawnProcess(const std::vector<std::string>& argv, const std::string& logPath,
                   const EnvVars& env = {}, const std::string& workDir = "");

// Waits for a child to exit: its exit code, 128+signal, or -1 when it was
// still running after timeoutMs (it is then killed with SIGKILL and reaped).
int waitForExit(pid_t pid, int timeoutMs);
// Non-blocking: true (and the exit code in *exitCode) when it has exited.
bool exited(pid_t pid, int* exitCode = nullptr);
// SIGTERM, up to graceMs for the exit, then SIGKILL. Returns the exit code
// as waitForExit does (-1 when SIGKILL was needed).
int terminateProcess(pid_t pid, int graceMs = 10000);

struct ProcessResult {
    int exitCode = -1;   // -1: killed after the timeout
    std::string output;  // stdout and stderr, interleaved
    double seconds = 0;  // wall time
};

// Runs a command to completion (scratchDir holds its output file meanwhile).
ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& scratchDir,
                         const EnvVars& env = {}, int timeoutMs = 120000);

// Runs a shell command line (sh -c) and returns what it wrote to stdout and
// stderr; for test set-up steps such as making keys with the openssl CLI.
std::string shellOutput(const std::string& command);

// A loopback port nobody was bound to a moment ago. withUdp: also free for
// UDP (for DNS servers). The caller's server binds it a little later, so
// a clash is possible; servers that fail to bind should be retried.
uint16_t freeLoopbackPort(bool withUdp = false);
// True when something accepts TCP connections on 127.0.0.1:port.
bool tcpPortOpen(uint16_t port);

// Last maxBytes of a text (for logs in error messages).
std::string tail(const std::string& text, size_t maxBytes = 4000);

}  // namespace rport::test
