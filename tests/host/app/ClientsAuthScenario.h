#pragma once
// How the clients-auth scenario suite gets an rportd with a given backend:
// each backend knows how to write its part of rportd.conf and how to seed the
// documentation's example credentials.
#include <memory>
#include <string>

#include "TempDir.h"

namespace rport::test {

class ScenarioBackend {
public:
    virtual ~ScenarioBackend() = default;
    // "static", "file", "sqlite" or "mariadb".
    virtual std::string name() const = 0;
    // What /status reports as clients_auth_source.
    virtual std::string sourceName() const = 0;
    // rportd.conf lines selecting this backend ([server] keys first, then any
    // further tables); extraServer is appended to [server].
    virtual std::string config(const std::string& extraServer) const = 0;
    // Runs before the first start: create tables, write files.
    virtual void prepare(const std::string& rportdConfigPath) = 0;
    // True when the seed entries must be added through the API after start.
    virtual bool seedsThroughApi() const = 0;
    // The stored secret as written in the backing file or table (for the
    // hashing test), or "" when the backend cannot tell.
    virtual std::string storedSecret(const std::string& id) const = 0;
};

std::unique_ptr<ScenarioBackend> makeScenarioBackend(const std::string& name, const TempDir& dir);

// The MariaDB server the "mariadb" backend uses (started on first use).
class MariaDbServer;
MariaDbServer& sharedMariaDb();

}  // namespace rport::test
