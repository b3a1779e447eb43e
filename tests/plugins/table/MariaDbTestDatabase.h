#pragma once
// The test database of a MariaDbServer. Side-door SQL goes through the
// mariadb command-line client, not an in-process connection: libmariadb
// reads its socket setting once per process, and that first use must stay
// the plugin's.
#include "MariaDbServer.h"
#include "TestDatabase.h"

namespace rport::test {

class MariaDbTestDatabase : public TestDatabase {
public:
    // viaSocket: the plugin connects through the unix socket, not TCP.
    explicit MariaDbTestDatabase(MariaDbServer& server, bool viaSocket = false)
        : _server(server), _viaSocket(viaSocket) {}
    std::string type() const override { return "mysql"; }
    std::map<std::string, std::string> settings(const std::string& table) const override;
    void exec(const std::string& sql) override;
    std::string scalar(const std::string& sql) override;

private:
    MariaDbServer& _server;
    bool _viaSocket;
};

}  // namespace rport::test
