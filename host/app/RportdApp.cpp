#include "app/RportdApp.h"

#include <Poco/File.h>
#include <fcntl.h>
#include <unistd.h>

#include <rport/plugin.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>

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

// Detaches as daemons do: a child in a session of its own, with no terminal.
// Before anything else runs, so no thread is lost to the fork.
bool detach() {
    const pid_t child = ::fork();
    if (child < 0) return false;
    if (child > 0) ::_exit(0);
    ::setsid();
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
        if (null > 2) ::close(null);
    }
    return true;
}

// Removes the pid file when main returns.
class PidFile {
public:
    explicit PidFile(std::string path) : _path(std::move(path)) {}
    ~PidFile() {
        if (_written) ::unlink(_path.c_str());
    }
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;
    bool write() {
        std::ofstream out(_path, std::ios::trunc);
        out << ::getpid() << "\n";
        _written = static_cast<bool>(out.flush());
        return _written;
    }

private:
    std::string _path;
    bool _written = false;
};

}  // namespace

int RportdApp::main(int argc, char** argv) {
    CommandLine cmd;
    try {
        cmd = parseCommandLine(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
    } catch (const CommandLineError& e) {
        printFatal(std::string(e.what()) + ". See --help");
        return kExitFailure;
    }
    if (cmd.daemon && !cmd.help && !cmd.version && !detach()) {
        printFatal("--daemon: cannot fork");
        return kExitFailure;
    }
    std::optional<PidFile> pidFile;
    if (!cmd.pidFile.empty() && !cmd.help && !cmd.version) {
        pidFile.emplace(cmd.pidFile);
        if (!pidFile->write()) {
            printFatal("--pidfile: cannot write " + cmd.pidFile);
            return kExitFailure;
        }
    }
    return RportdApp(std::move(cmd)).run();
}

int RportdApp::run() {
    if (_cmd.help) {
        std::cout << commandLineHelp();
        return kExitOk;
    }
    if (_cmd.version) {
        std::cout << "rportd " << RPORTD_VERSION << " (plugin ABI " << RPORT_ABI_MAJOR << "." << RPORT_ABI_MINOR
                  << ")" << std::endl;
        return kExitOk;
    }
    if (_cmd.hashPassword) return hashPassword();
    setupEarlyLogging();

    std::vector<std::string> warnings;
    config::Config cfg;
    try {
        cfg = loadConfig(_cmd.configPath, warnings);
    } catch (const config::ConfigError& e) {
        // Listing plugins needs no valid config unless one was named.
        if (_cmd.listPlugins && _cmd.configPath.empty()) return listPlugins(config::Config{});
        printFatal(std::string("Invalid config: ") + e.what() + ". See --help");
        return kExitFailure;
    }

    if (_cmd.listPlugins) return listPlugins(cfg);

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
        runtime.prepare(_cmd.createTables, _cmd.checkConfig ? ServerRuntime::Purpose::Check
                                                      : ServerRuntime::Purpose::Serve);
        if (_cmd.createTables) {
            std::cout << "tables ready" << std::endl;
            return kExitOk;
        }
        if (_cmd.checkConfig) {
            std::cout << "configuration OK" << std::endl;
            return kExitOk;
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
        return kExitOk;
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
    return kExitOk;
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
    return report.directoryMissing || report.directoryRefused ? kExitFailure : kExitOk;
}

}  // namespace rportd::app
