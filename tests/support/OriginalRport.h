#pragma once
// The original Go programs in ../shared/interop (its README): the rport
// client our server must accept, and the original server as the reference.
// Absent on a fresh machine: tests then skip (exit 77), never pass.
#include <sys/types.h>

#include <string>
#include <vector>

#include "Subprocess.h"

namespace rport::test {

// The interop bin directory (RPORT_INTEROP_DIR overrides), or "" when the
// binaries are not there.
std::string interopBinDir();
// Skips the calling test (returns false) when the original client is absent.
bool originalClientAvailable();

// One original rport client process with its own config and data dir.
class OriginalClient {
public:
    struct Options {
        std::string server;       // "127.0.0.1:PORT" or a ws:// / http:// URL
        std::string fingerprint;  // "" = accept any host key
        std::string id;           // [client] id
        std::string name;
        std::string configAuth;   // [client] auth, "" = not set
        std::string flagAuth;     // --auth, "" = not given
        std::string envAuth;      // RPORT_AUTH, "" = not set
        std::string extraClient;  // more [client] lines
        std::string extraConfig;  // more sections
        EnvVars environment;      // e.g. SSL_CERT_FILE for a test CA
    };

    OriginalClient(const std::string& workDir, Options options);
    ~OriginalClient();  // kills the process
    OriginalClient(const OriginalClient&) = delete;
    OriginalClient& operator=(const OriginalClient&) = delete;

    std::string output() const;
    // Waits for "Connected to" (the client's success line) in its log.
    bool waitForConnected(int timeoutMs = 30000) const;
    bool waitForOutput(const std::string& needle, int timeoutMs) const;
    void stop();

private:
    pid_t _pid = -1;
    std::string _logPath;
};

}  // namespace rport::test
