#include "ClientsAuthScenario.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "MariaDbServer.h"
#include "RportdProcess.h"

namespace rport::test {

namespace {

class StaticBackend : public ScenarioBackend {
public:
    std::string name() const override { return "static"; }
    std::string sourceName() const override { return "Static Credentials"; }
    std::string config(const std::string& extra) const override {
        return "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\n" + extra;
    }
    void prepare(const std::string&) override {}
    bool seedsThroughApi() const override { return false; }
    std::string storedSecret(const std::string&) const override { return ""; }
};

// The file of the documentation's example.
class FileBackend : public ScenarioBackend {
public:
    explicit FileBackend(const TempDir& dir) : _path(dir.file("client-auth.json")) {}
    std::string name() const override { return "file"; }
    std::string sourceName() const override { return "File"; }
    std::string config(const std::string& extra) const override {
        return "[server]\naddress = \"127.0.0.1:0\"\nauth_file = \"" + _path + "\"\n" + extra;
    }
    void prepare(const std::string&) override {
        std::ofstream out(_path);
        out << "{\n  \"clientAuth1\": \"1234\",\n  \"admin\": \"123456\",\n"
               "  \"client1\": \"yienei5Ch\",\n  \"client2\": \"ieRi1Noo2\"\n}\n";
    }
    bool seedsThroughApi() const override { return false; }
    std::string storedSecret(const std::string& id) const override {
        auto obj = Poco::JSON::Parser().parse(readFile(_path)).extract<Poco::JSON::Object::Ptr>();
        return obj->has(id) ? obj->getValue<std::string>(id) : "";
    }

private:
    std::string _path;
};

// A table in a database; the tables are made with rportd --create-tables.
class TableBackend : public ScenarioBackend {
public:
    TableBackend(std::string name, std::string table, std::string database)
        : _name(std::move(name)), _table(std::move(table)), _database(std::move(database)) {}
    std::string name() const override { return _name; }
    std::string sourceName() const override { return "DB"; }
    std::string config(const std::string& extra) const override {
        return "[server]\naddress = \"127.0.0.1:0\"\nauth_table = \"" + _table + "\"\n" + extra + _database;
    }
    void prepare(const std::string& configPath) override {
        RunResult r = runRportd({"-c", configPath, "--create-tables"});
        if (r.exitCode != 0) throw std::runtime_error("rportd --create-tables failed:\n" + r.output);
    }
    bool seedsThroughApi() const override { return true; }
    std::string storedSecret(const std::string&) const override { return ""; }

private:
    std::string _name, _table, _database;
};



}  // namespace

// One MariaDB server for the whole test program (starting one takes about a
// second); every scenario gets a table of its own in it.
MariaDbServer& sharedMariaDb() {
    static MariaDbServer server;
    return server;
}

std::unique_ptr<ScenarioBackend> makeScenarioBackend(const std::string& name, const TempDir& dir) {
    if (name == "static") return std::make_unique<StaticBackend>();
    if (name == "file") return std::make_unique<FileBackend>(dir);
    if (name == "sqlite")
        return std::make_unique<TableBackend>(
            "sqlite", "clients_auth", "[database]\ndb_type = \"sqlite\"\ndb_name = \"" + dir.file("rport.db") + "\"\n");
    if (name == "mariadb") {
        static int tables = 0;
        MariaDbServer& db = sharedMariaDb();
        return std::make_unique<TableBackend>(
            "mariadb", "clients_auth_" + std::to_string(++tables),
            "[database]\ndb_type = \"mysql\"\ndb_host = \"" + db.hostPort() + "\"\ndb_user = \"" + db.user() +
                "\"\ndb_password = \"" + db.password() + "\"\ndb_name = \"" + db.database() + "\"\n");
    }
    throw std::runtime_error("unknown scenario backend " + name);
}

}  // namespace rport::test
