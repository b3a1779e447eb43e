#include "app/CommandLine.h"

#include <algorithm>
#include <sstream>

namespace rportd::app {

namespace {

enum class Takes { Nothing, Value };

struct OptionSpec {
    const char* longName;
    char shortName;  // 0: none
    Takes takes;
    const char* valueName;
    const char* description;
};

constexpr OptionSpec kOptions[] = {
    {"config", 'c', Takes::Value, "FILE", "read the configuration from FILE (default: ./rportd.conf)"},
    {"check-config", 0, Takes::Nothing, nullptr,
     "validate the configuration and the selected plugins, then exit"},
    {"create-tables", 0, Takes::Nothing, nullptr,
     "create the database tables the configuration uses if they are missing, then exit"},
    {"list-plugins", 0, Takes::Nothing, nullptr,
     "list the plugins found in the plugin directory, then exit"},
    {"hash-password", 0, Takes::Nothing, nullptr,
     "read a password from standard input, print its bcrypt hash, exit"},
    {"daemon", 0, Takes::Nothing, nullptr,
     "detach from the terminal and run in the background (not needed under systemd)"},
    {"pidfile", 0, Takes::Value, "FILE", "write the process id to FILE, remove it at exit"},
    {"version", 'v', Takes::Nothing, nullptr, "print the version and exit"},
    {"help", 'h', Takes::Nothing, nullptr, "print this help and exit"},
};

const OptionSpec& findLong(const std::string& name) {
    for (const OptionSpec& o : kOptions)
        if (name == o.longName) return o;
    // An abbreviation must lead to exactly one option.
    std::vector<const OptionSpec*> matches;
    for (const OptionSpec& o : kOptions)
        if (!name.empty() && std::string(o.longName).rfind(name, 0) == 0) matches.push_back(&o);
    if (matches.size() == 1) return *matches.front();
    if (matches.empty()) throw CommandLineError("unknown option --" + name);
    std::string candidates;
    for (const OptionSpec* o : matches) candidates += (candidates.empty() ? "--" : ", --") + std::string(o->longName);
    throw CommandLineError("ambiguous option --" + name + " (" + candidates + ")");
}

const OptionSpec& findShort(char name) {
    for (const OptionSpec& o : kOptions)
        if (o.shortName == name) return o;
    throw CommandLineError(std::string("unknown option -") + name);
}

// Records one option; true when option processing ends here.
bool apply(const OptionSpec& option, const std::string& value, CommandLine& out) {
    const std::string name = option.longName;
    if (name == "config") {
        if (!out.configPath.empty()) throw CommandLineError("option --config may be given only once");
        if (value.empty()) throw CommandLineError("option --config needs a file name");
        out.configPath = value;
    } else if (name == "pidfile") {
        if (value.empty()) throw CommandLineError("option --pidfile needs a file name");
        out.pidFile = value;
    } else if (name == "check-config") {
        out.checkConfig = true;
    } else if (name == "create-tables") {
        out.createTables = true;
    } else if (name == "list-plugins") {
        out.listPlugins = true;
    } else if (name == "hash-password") {
        out.hashPassword = true;
    } else if (name == "daemon") {
        out.daemon = true;
    } else if (name == "version") {
        out.version = true;
        return true;
    } else if (name == "help") {
        out.help = true;
        return true;
    }
    return false;
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
    CommandLine out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const OptionSpec* option = nullptr;
        std::string value;
        bool inlineValue = false;
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            const std::string body = arg.substr(2);
            const auto equals = body.find('=');
            option = &findLong(body.substr(0, equals));
            if (equals != std::string::npos) {
                value = body.substr(equals + 1);
                inlineValue = true;
            }
        } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
            option = &findShort(arg[1]);
            if (arg.size() > 2) {
                value = arg.substr(2);
                inlineValue = true;
            }
        } else {
            throw CommandLineError("unexpected argument \"" + arg + "\" (options start with -)");
        }
        if (option->takes == Takes::Nothing && inlineValue)
            throw CommandLineError(std::string("option --") + option->longName + " takes no value");
        if (option->takes == Takes::Value && !inlineValue) {
            if (i + 1 >= args.size())
                throw CommandLineError(std::string("option --") + option->longName + " needs " +
                                       option->valueName);
            value = args[++i];
        }
        if (apply(*option, value, out)) break;
    }
    return out;
}

std::string commandLineHelp() {
    std::ostringstream text;
    text << "usage: rportd [-c FILE] [--check-config | --create-tables | --list-plugins | "
            "--hash-password | --version | --help]\n\n"
            "rportd is the server of RPort: rport clients dial in with a client-auth id and "
            "password,\nadministrators manage them through the HTTP API. It runs in the "
            "foreground; SIGTERM stops\nit gracefully, SIGHUP reloads what can be reloaded.\n\n";
    for (const OptionSpec& o : kOptions) {
        std::string left = o.shortName ? std::string("-") + o.shortName + ", " : "    ";
        left += std::string("--") + o.longName;
        if (o.takes == Takes::Value) left += std::string("=") + o.valueName;
        text << "  " << left << std::string(left.size() < 24 ? 24 - left.size() : 1, ' ')
             << o.description << "\n";
    }
    text << "\nConfiguration reference: docs/configuration.md. Plugins: docs/sdk.md.\n";
    return text.str();
}

}  // namespace rportd::app
