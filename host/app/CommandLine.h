#pragma once
// rportd's command line: what it accepts, how it is parsed, and the --help
// text, in one place. Our own ~150 lines rather than Poco::Util's option
// classes: Poco::Util drags libPocoUtil, libPocoXML and libexpat into every
// rportd process (1.1 MB of resident memory) for nothing else.
#include <stdexcept>
#include <string>
#include <vector>

namespace rportd::app {

struct CommandLine {
    std::string configPath;  // -c/--config; empty: ./rportd.conf or the built-in defaults
    bool help = false;
    bool version = false;
    bool checkConfig = false;
    bool listPlugins = false;
    bool hashPassword = false;
    bool createTables = false;
    bool daemon = false;  // detach from the terminal (systemd users do not need it)
    std::string pidFile;  // written at start, removed at exit
};

// A command line rportd does not accept; what() says why, naming the option.
class CommandLineError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// args without the program name. Accepts -c FILE, -cFILE, --config FILE and
// --config=FILE, unambiguous abbreviations of long options (--check for
// --check-config), and stops at --help or --version like other tools do, so
// "rportd --version --bogus" still prints the version.
CommandLine parseCommandLine(const std::vector<std::string>& args);

std::string commandLineHelp();

}  // namespace rportd::app
