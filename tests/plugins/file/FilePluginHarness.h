#pragma once
// Shared set-up for the file plugin's tests: a scratch directory holding the
// credentials file, a fake rportd with the built file.so loaded, and helpers
// to inspect the file independently of the plugin.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <rport/testing.hpp>
#include <string>
#include <vector>

#include "TempDir.h"

namespace rport::test::file_plugin {

using Settings = std::map<std::string, std::string>;
using Credentials = std::map<std::string, std::string>;  // id -> password

// Which of the plugin's two stores a harness drives.
enum class Backend {
    ClientAuth,  // client-auth/file: <dir>/clients-auth.json, settings path + write=true
    ApiAuth,     // api-auth/file: <dir>/api-users.json, settings path only (as rportd passes)
};

class FilePluginHarness {
public:
    explicit FilePluginHarness(Backend backend = Backend::ClientAuth);
    ~FilePluginHarness();
    FilePluginHarness(const FilePluginHarness&) = delete;
    FilePluginHarness& operator=(const FilePluginHarness&) = delete;

    sdk::testing::FakeHost& host() { return *_host; }
    const sdk::testing::LoadedPlugin& plugin() const { return _plugin; }
    const TempDir& dir() const { return _dir; }
    // <scratch dir>/clients-auth.json or <scratch dir>/api-users.json
    const std::string& path() const { return _path; }

    // Creates a store for path() (or settings["path"]) with the backend's
    // default settings plus the given ones. Throws rport::sdk::Error when
    // creation fails.
    std::unique_ptr<sdk::AuthClient> open(const Settings& extra = {});
    // The creation error for these settings; fails the test if creation succeeds.
    sdk::Error openFailure(const Settings& extra = {});

    // Overwrites path() in place (truncate + write), as a simple editor would.
    void writeInPlace(const std::string& text) const;
    // Writes a sibling file and renames it over path(), as provisioning tools do.
    void replaceByRename(const std::string& text) const;

    // The file's text and what an independent JSON parser (Poco) reads from it.
    std::string fileText() const;
    Credentials parseFile() const;
    // Names in the scratch directory, sorted, "." and ".." left out.
    std::vector<std::string> directoryEntries() const;

    // Every entry through list(), in the order the plugin returns them.
    static Credentials listAll(sdk::AuthClient& store);
    static std::vector<std::string> ids(const sdk::ListPage& page);
    static std::string render(const Credentials& credentials);  // a valid file for these entries

    // How many log lines at level contain needle.
    size_t logCount(int32_t level, const std::string& needle) const;

private:
    const Backend _backend;
    TempDir _dir;
    std::string _path;
    std::unique_ptr<sdk::testing::FakeHost> _host;
    sdk::testing::LoadedPlugin _plugin;
};

// Polls condition every few milliseconds until it holds or limit passes.
bool waitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds limit = std::chrono::seconds(5));

// The secret stored for id, or "" when the store says it does not exist.
std::string secretOf(sdk::AuthClient& store, const std::string& id);

sdk::AuthRecord record(const std::string& id, const std::string& secret,
                       uint32_t kind = RPORT_SECRET_AUTO);

}  // namespace rport::test::file_plugin
