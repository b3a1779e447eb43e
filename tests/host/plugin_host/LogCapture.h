#pragma once
// Routes every Poco logger into memory for the life of the object, so a test
// can assert on exactly which lines were logged, by whom and at what level.
#include <Poco/AutoPtr.h>
#include <Poco/Message.h>

#include <string>
#include <vector>

namespace rport::test {

class CapturingChannel;

class LogCapture {
public:
    struct Line {
        std::string source;  // the logger's name, e.g. "plugins", "plugin.good-c"
        Poco::Message::Priority priority;
        std::string text;
    };

    LogCapture();
    // Puts a null channel back: tests stay quiet.
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<Line> lines() const;
    // Lines at error level (or worse) whose text contains needle.
    std::vector<Line> errorsMentioning(const std::string& needle) const;
    std::vector<Line> errors() const { return errorsMentioning(""); }
    // Any line, any level, containing needle.
    bool contains(const std::string& needle) const;
    void clear();
    // Everything captured, one line each, for assertion messages.
    std::string dump() const;

private:
    Poco::AutoPtr<CapturingChannel> _channel;
};

}  // namespace rport::test
