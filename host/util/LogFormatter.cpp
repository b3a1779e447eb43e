#include "util/LogFormatter.h"

#include <Poco/Message.h>

#include <ctime>

namespace rportd::util {

namespace {
const char* levelName(Poco::Message::Priority p) {
    switch (p) {
        case Poco::Message::PRIO_FATAL:
        case Poco::Message::PRIO_CRITICAL:
        case Poco::Message::PRIO_ERROR: return "error";
        case Poco::Message::PRIO_WARNING: return "warning";
        case Poco::Message::PRIO_NOTICE:
        case Poco::Message::PRIO_INFORMATION: return "info";
        default: return "debug";
    }
}
}  // namespace

void LogFormatter::format(const Poco::Message& msg, std::string& text) {
    std::time_t seconds = msg.getTime().epochTime();
    std::tm local{};
    localtime_r(&seconds, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &local);
    text.reserve(text.size() + 40 + msg.getSource().size() + msg.getText().size());
    text += stamp;
    text += ' ';
    text += levelName(msg.getPriority());
    text += ": ";
    if (!msg.getSource().empty()) {
        text += msg.getSource();
        text += ": ";
    }
    text += msg.getText();
}

}  // namespace rportd::util
