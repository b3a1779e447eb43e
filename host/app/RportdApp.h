#pragma once
// The rportd executable: command line, config, logging, then the server
// runtime until SIGTERM. Runs in the foreground unless --daemon is given.
#include <Poco/Util/ServerApplication.h>

#include <string>

#include "config/Config.h"

namespace rportd::app {

class RportdApp : public Poco::Util::ServerApplication {
public:
    // Exit status for every start-up failure, as the original uses.
    static constexpr int kExitFailure = 1;

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleConfig(const std::string& name, const std::string& value);
    void handleFlag(const std::string& name, const std::string& value);
    void printHelp();
    int listPlugins(const config::Config& cfg);
    int hashPassword();

    std::string _configPath;
    bool _helpRequested = false;
    bool _versionRequested = false;
    bool _checkConfig = false;
    bool _listPlugins = false;
    bool _hashPassword = false;
    bool _createTables = false;
};

}  // namespace rportd::app
