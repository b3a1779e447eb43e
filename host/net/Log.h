#pragma once
// How the network core reports what an operator may want to know. The core
// does not depend on a logging library; the application passes a sink.
#include <functional>
#include <string>

namespace rportd::net {

enum class LogLevel { Debug, Info, Warning, Error };
using LogSink = std::function<void(LogLevel, const std::string&)>;

}  // namespace rportd::net
