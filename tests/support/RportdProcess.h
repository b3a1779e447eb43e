#pragma once
// Runs the real rportd binary for integration tests: output goes to a file
// that tests can search, the API port is read from the "API Listening on"
// line (configs use port 0, so tests never race for ports), and the process
// is killed when the object dies, whatever the test did.
#include <sys/types.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

namespace rport::test {

// build/bin/rportd of the tree under test.
std::string rportdBinary();

struct RunResult {
    int exitCode;  // -1 when it had to be killed
    std::string output;
};

// Runs rportd with args to completion (for --version, bad configs...).
RunResult runRportd(const std::vector<std::string>& args, const std::string& workDir = "/tmp",
                    int timeoutMs = 20000, const std::string& binary = rportdBinary());

class RportdProcess {
public:
    RportdProcess(const std::vector<std::string>& args, const std::string& workDir,
                  const std::string& binary = rportdBinary());
    ~RportdProcess();
    RportdProcess(const RportdProcess&) = delete;
    RportdProcess& operator=(const RportdProcess&) = delete;

    pid_t pid() const { return _pid; }
    // Everything the process wrote so far (stdout and stderr).
    std::string output() const;
    bool waitForOutput(const std::string& needle, int timeoutMs = 10000) const;
    // The API port, once listening; throws with the output when it never is.
    uint16_t waitForApiPort(int timeoutMs = 10000) const;
    // The client listener's port ([server] address), once listening.
    uint16_t waitForClientPort(int timeoutMs = 10000) const;
    // The SSH host-key fingerprint rportd logged at start ("ab:1d:...").
    std::string fingerprint(int timeoutMs = 10000) const;
    // Sends sig and waits for the exit; returns the exit code, -1 on timeout.
    int stop(int sig = 15, int timeoutMs = 10000);
    // Waits for the process to exit by itself.
    int wait(int timeoutMs);
    bool running();

private:
    // The first group of the first match in the output, once there.
    std::string waitForPattern(const std::regex& pattern, int timeoutMs,
                               const std::string& what) const;

    pid_t _pid = -1;
    std::string _logPath;
    int _exitCode = -1;
    bool _reaped = false;
};

}  // namespace rport::test
