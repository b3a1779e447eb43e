#include "FilePluginHarness.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rport::test::file_plugin {

FilePluginHarness::FilePluginHarness(Backend backend)
    : _backend(backend),
      _path(_dir.file(backend == Backend::ClientAuth ? "clients-auth.json" : "api-users.json")),
      _host(std::make_unique<sdk::testing::FakeHost>()) {
    _plugin = _host->open(FILE_PLUGIN_PATH);
}

FilePluginHarness::~FilePluginHarness() {
    _plugin = {};
    _host.reset();
}

std::unique_ptr<sdk::AuthClient> FilePluginHarness::open(const Settings& extra) {
    Settings settings{{"path", _path}};
    if (_backend == Backend::ClientAuth) settings["write"] = "true";
    for (const auto& [k, v] : extra) settings[k] = v;
    _host->settings = settings;
    const char* kind =
        _backend == Backend::ClientAuth ? RPORT_KIND_CLIENT_AUTH : RPORT_KIND_API_AUTH;
    return _host->createAuth(_plugin, kind, "file");
}

sdk::Error FilePluginHarness::openFailure(const Settings& extra) {
    try {
        open(extra);
    } catch (const sdk::Error& e) {
        return e;
    }
    throw std::runtime_error("the store was created although it should have failed");
}

void FilePluginHarness::writeInPlace(const std::string& text) const {
    std::ofstream out(_path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + _path);
}

void FilePluginHarness::replaceByRename(const std::string& text) const {
    const std::string staging = _dir.file("staging-for-rename.json");
    {
        std::ofstream out(staging, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) throw std::runtime_error("cannot write " + staging);
    }
    if (::rename(staging.c_str(), _path.c_str()) != 0)
        throw std::runtime_error("cannot rename over " + _path);
}

std::string FilePluginHarness::fileText() const {
    std::ifstream in(_path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

Credentials FilePluginHarness::parseFile() const {
    Poco::JSON::Parser parser;
    auto object = parser.parse(fileText()).extract<Poco::JSON::Object::Ptr>();
    Credentials out;
    for (const auto& [id, value] : *object) out[id] = value.extract<std::string>();
    return out;
}

std::vector<std::string> FilePluginHarness::directoryEntries() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(_dir.path().c_str());
    if (!d) throw std::runtime_error("cannot list " + _dir.path());
    while (const dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

Credentials FilePluginHarness::listAll(sdk::AuthClient& store) {
    sdk::ListPage page;
    auto result = store.list(sdk::ListQuery{}, page);
    if (!result.ok()) throw std::runtime_error("list failed: " + result.message);
    Credentials out;
    for (const auto& r : page.records) out[r.id] = r.secret;
    if (out.size() != page.total) throw std::runtime_error("list total differs from the records");
    return out;
}

std::vector<std::string> FilePluginHarness::ids(const sdk::ListPage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.records) out.push_back(r.id);
    return out;
}

std::string FilePluginHarness::render(const Credentials& credentials) {
    // Deliberately not the plugin's layout: compact, one line.
    std::string out = "{";
    bool first = true;
    for (const auto& [id, secret] : credentials) {
        out += (first ? "\"" : ", \"") + id + "\":\"" + secret + "\"";
        first = false;
    }
    return out + "}";
}

size_t FilePluginHarness::logCount(int32_t level, const std::string& needle) const {
    size_t n = 0;
    for (const auto& line : _host->logs())
        if (line.level == level && line.text.find(needle) != std::string::npos) ++n;
    return n;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string secretOf(sdk::AuthClient& store, const std::string& id) {
    std::optional<sdk::AuthRecord> rec;
    auto result = store.get(id, rec);
    if (result.code == RPORT_E_NOT_FOUND) return "";
    if (!result.ok()) throw std::runtime_error("get failed: " + result.message);
    return rec->secret;
}

sdk::AuthRecord record(const std::string& id, const std::string& secret, uint32_t kind) {
    sdk::AuthRecord r;
    r.id = id;
    r.secret = secret;
    r.secretKind = kind;
    return r;
}

}  // namespace rport::test::file_plugin
