#include "MariaDbTestDatabase.h"

namespace rport::test {

std::map<std::string, std::string> MariaDbTestDatabase::settings(const std::string& table) const {
    return {{"table", table},
            {"db_type", "mysql"},
            {"db_host", _viaSocket ? "socket:" + _server.socketPath() : _server.hostPort()},
            {"db_user", _server.user()},
            {"db_password", _server.password()},
            {"db_name", _server.database()},
            {"write", "true"}};
}

void MariaDbTestDatabase::exec(const std::string& sql) {
    _server.execRoot("USE `" + _server.database() + "`; " + sql);
}

std::string MariaDbTestDatabase::scalar(const std::string& sql) {
    std::string out = _server.execRoot("USE `" + _server.database() + "`; " + sql);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out.substr(0, out.find('\n'));
}

}  // namespace rport::test
