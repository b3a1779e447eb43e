#pragma once
// Points Poco's root logger at [logging] log_file (empty = stdout) with the
// level of [logging] log_level, in the original's line format.
#include <string>

#include "config/Config.h"

namespace rportd::app {

// Throws std::runtime_error("can't open log file <p>: <reason>") when the file
// cannot be opened for appending.
void setupLogging(const config::LoggingConfig& logging);

// Before the config is read: plain lines to stderr at info level.
void setupEarlyLogging();

}  // namespace rportd::app
