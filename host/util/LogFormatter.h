#pragma once
// Log lines in the original rportd's shape, which operators grep and fail2ban
// parses: "YYYY/MM/DD HH:MM:SS <level>: <source>: <message>", local time,
// levels "error", "warning", "info", "debug".
#include <Poco/Formatter.h>

namespace rportd::util {

class LogFormatter : public Poco::Formatter {
public:
    void format(const Poco::Message& msg, std::string& text) override;
};

}  // namespace rportd::util
