#include "OriginalRport.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "Skip.h"

namespace rport::test {

std::string interopBinDir() {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("RPORT_INTEROP_DIR"))
        candidates.push_back(std::string(env) + "/bin");
    candidates.push_back(std::string(RPORT_SOURCE_DIR) + "/../shared/interop/bin");
    // A local clone of the checkout (what CI tests) finds them beside the
    // checkout it was cloned from.
    std::string origin = shellOutput("git -C '" + std::string(RPORT_SOURCE_DIR) +
                                     "' config --get remote.origin.url 2>/dev/null");
    while (!origin.empty() && (origin.back() == '\n' || origin.back() == '/')) origin.pop_back();
    if (!origin.empty() && origin.front() == '/')
        candidates.push_back(origin + "/../shared/interop/bin");
    for (const auto& dir : candidates)
        if (::access((dir + "/rport").c_str(), X_OK) == 0) return dir;
    return "";
}

bool originalClientAvailable() {
    if (!interopBinDir().empty()) return true;
    skipTest("the original rport client (../shared/interop/bin/rport) is not here");
    return false;
}

OriginalClient::OriginalClient(const std::string& workDir, Options o) {
    static int counter = 0;
    std::string base = workDir + "/rport-client-" + std::to_string(++counter);
    std::string dataDir = base + "-data";
    std::system(("mkdir -p '" + dataDir + "'").c_str());
    std::ostringstream config;
    config << "[client]\n  server = \"" << o.server << "\"\n";
    if (!o.fingerprint.empty()) config << "  fingerprint = \"" << o.fingerprint << "\"\n";
    if (!o.id.empty()) config << "  id = \"" << o.id << "\"\n";
    if (!o.name.empty()) config << "  name = \"" << o.name << "\"\n";
    if (!o.configAuth.empty()) config << "  auth = \"" << o.configAuth << "\"\n";
    config << "  data_dir = \"" << dataDir << "\"\n" << o.extraClient;
    config << "[logging]\n  log_level = \"debug\"\n" << o.extraConfig;
    std::string configPath = base + ".conf";
    std::ofstream(configPath) << config.str();
    _logPath = base + ".log";
    std::vector<std::string> argv = {
        interopBinDir() + "/rport", "-c", configPath, "--allow-root", "--data-dir", dataDir};
    if (!o.flagAuth.empty()) {
        argv.push_back("--auth");
        argv.push_back(o.flagAuth);
    }
    EnvVars env = o.environment;
    if (!o.envAuth.empty()) env.emplace_back("RPORT_AUTH", o.envAuth);
    _pid = spawnProcess(argv, _logPath, env, workDir);
}

OriginalClient::~OriginalClient() { stop(); }

void OriginalClient::stop() {
    if (_pid > 0) terminateProcess(_pid, 3000);
    _pid = -1;
}

std::string OriginalClient::output() const {
    std::ifstream in(_logPath);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool OriginalClient::waitForOutput(const std::string& needle, int timeoutMs) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (output().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

bool OriginalClient::waitForConnected(int timeoutMs) const {
    return waitForOutput("Connected to", timeoutMs);
}

}  // namespace rport::test
