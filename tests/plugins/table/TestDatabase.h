#pragma once
// A database the table plugin's tests run against: the settings that point
// the plugin at it, and a side door for SQL the plugin itself would not run.
#include <map>
#include <string>

namespace rport::test {

class TestDatabase {
public:
    virtual ~TestDatabase() = default;
    // "sqlite" or "mysql", as in db_type.
    virtual std::string type() const = 0;
    // The plugin settings for a store on the given table.
    virtual std::map<std::string, std::string> settings(const std::string& table) const = 0;
    // Runs SQL directly on the database (several statements allowed).
    virtual void exec(const std::string& sql) = 0;
    // One value from a query, as text ("" when there is no row).
    virtual std::string scalar(const std::string& sql) = 0;
};

}  // namespace rport::test
