#pragma once
// A throwaway MariaDB server for integration tests: its own data directory
// under /tmp, listening on 127.0.0.1 at a free port and on a unix socket in
// that directory, with a database and a password user ready. Nothing of the
// system's MariaDB setup (/etc/mysql, /run/mysqld) is read or touched. The
// destructor always stops the server; the server also dies with the test
// process, so a crashed test leaves nothing running.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "TempDir.h"

namespace rport::test {

class MariaDbServer {
public:
    // Initialises the data directory, starts the server and waits until it
    // answers. Throws std::runtime_error with the server's log on failure.
    MariaDbServer();
    ~MariaDbServer();
    MariaDbServer(const MariaDbServer&) = delete;
    MariaDbServer& operator=(const MariaDbServer&) = delete;

    // True when the MariaDB server binaries are installed.
    static bool installed();

    uint16_t port() const { return _port; }
    // "127.0.0.1:<port>", the form of rportd's [database] db_host.
    std::string hostPort() const;
    const std::string& socketPath() const { return _socket; }
    // A database the test user owns completely, and that user's credentials
    // (allowed from 127.0.0.1 and through the socket).
    const std::string& database() const { return _database; }
    const std::string& user() const { return _user; }
    const std::string& password() const { return _password; }

    // Runs SQL as the server's root user through the socket and returns what
    // it printed (tab-separated rows, no header). Throws with the error text
    // when the client fails or runs longer than 60 s.
    std::string execRoot(const std::string& sql) const;

    // Clean shutdown; SIGKILL when that takes longer than 20 s. Idempotent.
    void stop();
    // SIGKILL, no shutdown: a crash as far as clients can tell.
    void kill();
    // Starts the server again after stop() or kill(), on the same data
    // directory, port and socket, and waits until it answers.
    void restart();
    // SIGSTOP / SIGCONT: the server keeps its sockets but answers nothing,
    // like a hung or unreachable host.
    void pause();
    void resume();
    bool running() const { return _pid > 0; }
    pid_t pid() const { return _pid; }

private:
    void install();
    void start();
    void waitUntilReady();
    void createTestAccount();
    void reap(int timeoutMs);
    std::string log() const;

    TempDir _dir;
    std::string _dataDir;
    std::string _socket;
    std::string _rootUser;
    std::string _database = "rport";
    std::string _user = "rport";
    std::string _password = "rport-test-pw";
    uint16_t _port = 0;
    pid_t _pid = -1;
    bool _paused = false;
};

}  // namespace rport::test
