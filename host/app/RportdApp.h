#pragma once
// The rportd executable: config, logging, then the server runtime until
// SIGTERM, as the command line asks.
#include <string>

#include "app/CommandLine.h"
#include "config/Config.h"

namespace rportd::app {

class RportdApp {
public:
    // Exit status for every start-up failure, as the original uses.
    static constexpr int kExitFailure = 1;
    static constexpr int kExitOk = 0;

    // argv as main() receives it; the exit status.
    static int main(int argc, char** argv);

private:
    explicit RportdApp(CommandLine commandLine) : _cmd(std::move(commandLine)) {}
    int run();
    int listPlugins(const config::Config& cfg);
    int hashPassword();

    CommandLine _cmd;
};

}  // namespace rportd::app
