#pragma once
// A SQLite file in a private temporary directory.
#include <Poco/Data/Session.h>

#include <memory>

#include "TempDir.h"
#include "TestDatabase.h"

namespace rport::test {

class SqliteTestDatabase : public TestDatabase {
public:
    SqliteTestDatabase();
    std::string type() const override { return "sqlite"; }
    std::map<std::string, std::string> settings(const std::string& table) const override;
    void exec(const std::string& sql) override;
    std::string scalar(const std::string& sql) override;
    const std::string& path() const { return _path; }

private:
    TempDir _dir;
    std::string _path;
    std::unique_ptr<Poco::Data::Session> _session;
};

}  // namespace rport::test
