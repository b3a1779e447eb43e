#include "app/LoggingSetup.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "util/LogFormatter.h"

namespace rportd::app {

namespace {

int priorityOf(config::LogLevel level) {
    switch (level) {
        case config::LogLevel::Error: return Poco::Message::PRIO_ERROR;
        case config::LogLevel::Debug: return Poco::Message::PRIO_DEBUG;
        default: return Poco::Message::PRIO_INFORMATION;
    }
}

void install(Poco::Channel* sink, int priority) {
    Poco::AutoPtr<Poco::Channel> target(sink);
    Poco::AutoPtr<Poco::FormattingChannel> formatting(
        new Poco::FormattingChannel(new util::LogFormatter, target));
    // setLevel on the root with "" applies it to every logger made so far too.
    Poco::Logger::root().setChannel(formatting);
    Poco::Logger::setLevel("", priority);
    Poco::Logger::setChannel("", formatting);
}

}  // namespace

void setupEarlyLogging() { install(new Poco::ConsoleChannel(std::cerr), Poco::Message::PRIO_INFORMATION); }

void setupLogging(const config::LoggingConfig& logging) {
    if (logging.log_file.empty()) {
        install(new Poco::ConsoleChannel(std::cout), priorityOf(logging.log_level));
        return;
    }
    // FileChannel opens lazily; open here first so a bad path fails at start
    // with a clear message, as the original does.
    FILE* probe = std::fopen(logging.log_file.c_str(), "a");
    if (!probe)
        throw std::runtime_error("can't open log file " + logging.log_file + ": " + std::strerror(errno));
    std::fclose(probe);
    auto* file = new Poco::FileChannel(logging.log_file);
    file->setProperty("flush", "true");
    install(file, priorityOf(logging.log_level));
}

}  // namespace rportd::app
