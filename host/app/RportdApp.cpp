#include "app/RportdApp.h"

#include <Poco/File.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <rport/plugin.h>

#include <ctime>
#include <iostream>

#include "app/LoggingSetup.h"
#include "app/PasswordHashing.h"
#include "app/PluginDirectory.h"
#include "app/ServerRuntime.h"
#include "app/SignalWaiter.h"
#include "config/ConfigError.h"
#include "config/Config.h"
#include "plugin_host/PluginRegistry.h"
#include "util/Version.h"

namespace rportd::app {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

// Start-up failures go to stderr with a timestamp, as Go's log.Fatalf prints them.
void printFatal(const std::string& message) {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &local);
    std::cerr << stamp << ' ' << message << std::endl;
}

// The config file: -c, else ./rportd.conf when present, else built-in
// defaults (which fail validation until some client auth is configured).
config::Config loadConfig(const std::string& path, std::vector<std::string>& warnings) {
    if (!path.empty()) return config::loadConfigFile(path, warnings);
    if (Poco::File("rportd.conf").exists()) return config::loadConfigFile("rportd.conf", warnings);
    return config::loadConfigText("", "(built-in defaults)", warnings);
}

}  // namespace

void RportdApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("config", "c", "read the configuration from FILE (default: ./rportd.conf)")
                          .argument("FILE")
                          .repeatable(false)
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleConfig)));
    options.addOption(Option("check-config", "", "validate the configuration and the selected plugins, then exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
    options.addOption(Option("list-plugins", "", "list the plugins found in the plugin directory, then exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
    options.addOption(Option("hash-password", "", "read a password from standard input, print its bcrypt hash, exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
    options.addOption(Option("create-tables", "",
                             "create the database tables the configuration uses if they are missing, then exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
    options.addOption(Option("version", "v", "print the version and exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
    options.addOption(Option("help", "h", "print this help and exit")
                          .callback(OptionCallback<RportdApp>(this, &RportdApp::handleFlag)));
}

void RportdApp::handleConfig(const std::string&, const std::string& value) { _configPath = value; }

void RportdApp::handleFlag(const std::string& name, const std::string&) {
    if (name == "check-config") _checkConfig = true;
    if (name == "list-plugins") _listPlugins = true;
    if (name == "hash-password") _hashPassword = true;
    if (name == "create-tables") _createTables = true;
    if (name == "version") _versionRequested = true;
    if (name == "help") _helpRequested = true;
    // The informational flags end option processing like --help does
    // elsewhere, so "rportd --version --bogus" still prints the version.
    if (name == "version" || name == "help") stopOptionsProcessing();
}

void RportdApp::printHelp() {
    Poco::Util::HelpFormatter help(options());
    help.setCommand("rportd");
    help.setUsage(
        "[-c FILE] [--check-config | --create-tables | --list-plugins | --hash-password | --version | --help]");
    help.setHeader(
        "rportd is the server of RPort: rport clients dial in with a client-auth id and password, "
        "administrators manage them through the HTTP API. It runs in the foreground; SIGTERM stops it "
        "gracefully, SIGHUP reloads what can be reloaded.");
    help.setFooter("Configuration reference: docs/configuration.md. Plugins: docs/sdk.md.");
    help.format(std::cout);
}

int RportdApp::main(const std::vector<std::string>&) {
    if (_helpRequested) {
        printHelp();
        return EXIT_OK;
    }
    if (_versionRequested) {
        std::cout << "rportd " << RPORTD_VERSION << " (plugin ABI " << RPORT_ABI_MAJOR << "." << RPORT_ABI_MINOR
                  << ")" << std::endl;
        return EXIT_OK;
    }
    if (_hashPassword) return hashPassword();
    setupEarlyLogging();

    std::vector<std::string> warnings;
    config::Config cfg;
    try {
        cfg = loadConfig(_configPath, warnings);
    } catch (const config::ConfigError& e) {
        // Listing plugins needs no valid config unless one was named.
        if (_listPlugins && _configPath.empty()) return listPlugins(config::Config{});
        printFatal(std::string("Invalid config: ") + e.what() + ". See --help");
        return kExitFailure;
    }

    if (_listPlugins) return listPlugins(cfg);

    try {
        setupLogging(cfg.logging);
    } catch (const std::exception& e) {
        printFatal(e.what());
        return kExitFailure;
    }
    Poco::Logger& log = Poco::Logger::get("server");
    for (const auto& w : warnings) log.warning(w);

    ServerRuntime runtime(std::move(cfg));
    try {
        runtime.prepare(_createTables, _checkConfig ? ServerRuntime::Purpose::Check
                                                      : ServerRuntime::Purpose::Serve);
        if (_createTables) {
            std::cout << "tables ready" << std::endl;
            return EXIT_OK;
        }
        if (_checkConfig) {
            std::cout << "configuration OK" << std::endl;
            return EXIT_OK;
        }
        runtime.start();
    } catch (const std::exception& e) {
        log.error(e.what());
        return kExitFailure;
    }

    while (true) {
        if (waitForServerSignal() == ServerSignal::Reload) {
            log.information("SIGHUP received: reloading");
            runtime.reload();
            continue;
        }
        log.information("stopping");
        runtime.stop();
        log.information("stopped");
        return EXIT_OK;
    }
}

int RportdApp::hashPassword() {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
        printFatal("--hash-password: no password on standard input");
        return kExitFailure;
    }
    auto hash = hashNewSecret(password);
    if (!hash) {
        printFatal("--hash-password: hashing failed");
        return kExitFailure;
    }
    std::cout << *hash << std::endl;
    return EXIT_OK;
}

int RportdApp::listPlugins(const config::Config& cfg) {
    std::string dir = cfg.plugins.dir.empty() ? defaultPluginDirectory() : cfg.plugins.dir;
    std::cout << "plugin directory: " << dir << "\n";
    plugin_host::HostServices services(plugin_host::HostOptions{cfg.server.data_dir});
    plugin_host::PluginRegistry registry(services);
    plugin_host::LoadReport report = registry.loadDirectory(dir);
    for (const auto& p : registry.list()) {
        std::cout << p.name << " " << p.version << " (built for ABI " << RPORT_ABI_MAJOR << "." << p.abiMinor
                  << ") " << p.file << "\n";
        for (const auto& [kind, name] : p.backends) std::cout << "  " << kind << "/" << name << "\n";
    }
    for (const auto& f : registry.failures()) std::cout << "refused: " << f.file << ": " << f.reason << "\n";
    return report.directoryMissing || report.directoryRefused ? kExitFailure : EXIT_OK;
}

}  // namespace rportd::app
