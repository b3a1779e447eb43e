#include "LogCapture.h"

#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <mutex>

namespace rport::test {

class CapturingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard<std::mutex> lock(_mutex);
        _lines.push_back({message.getSource(), message.getPriority(), message.getText()});
    }
    std::vector<LogCapture::Line> lines() const {
        std::lock_guard<std::mutex> lock(_mutex);
        return _lines;
    }
    void clear() {
        std::lock_guard<std::mutex> lock(_mutex);
        _lines.clear();
    }

private:
    mutable std::mutex _mutex;
    std::vector<LogCapture::Line> _lines;
};

LogCapture::LogCapture() : _channel(new CapturingChannel) {
    // Existing loggers get the channel through setChannel(""), loggers made
    // later inherit it from root.
    Poco::Logger::root().setChannel(_channel);
    Poco::Logger::setChannel("", _channel);
    Poco::Logger::setLevel("", Poco::Message::PRIO_DEBUG);
}

LogCapture::~LogCapture() {
    Poco::AutoPtr<Poco::NullChannel> quiet(new Poco::NullChannel);
    Poco::Logger::root().setChannel(quiet);
    Poco::Logger::setChannel("", quiet);
}

std::vector<LogCapture::Line> LogCapture::lines() const { return _channel->lines(); }

std::vector<LogCapture::Line> LogCapture::errorsMentioning(const std::string& needle) const {
    std::vector<Line> out;
    for (const Line& line : lines())
        if (line.priority <= Poco::Message::PRIO_ERROR &&
            line.text.find(needle) != std::string::npos)
            out.push_back(line);
    return out;
}

bool LogCapture::contains(const std::string& needle) const {
    for (const Line& line : lines())
        if (line.text.find(needle) != std::string::npos) return true;
    return false;
}

void LogCapture::clear() { _channel->clear(); }

std::string LogCapture::dump() const {
    std::string out;
    for (const Line& line : lines())
        out += "[" + line.source + " p" + std::to_string(line.priority) + "] " + line.text + "\n";
    return out;
}

}  // namespace rport::test
