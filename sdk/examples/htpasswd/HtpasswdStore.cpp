// An htpasswd-file credential store: the whole plugin in one class.
#include <rport/plugin.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

class HtpasswdStore : public rport::sdk::AuthStore {
public:
    explicit HtpasswdStore(rport::sdk::Host host) {
        const std::string path = host.requireSetting("path");
        const std::vector<std::string> groups = splitList(host.setting("groups").value_or("Administrators"));
        std::ifstream in(path);
        if (!in) throw rport::sdk::Error(RPORT_E_INVALID, "cannot read htpasswd file \"" + path + "\"");
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty() || line[0] == '#') continue;
            size_t colon = line.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == line.size())
                throw rport::sdk::Error(RPORT_E_INVALID,
                                        path + ":" + std::to_string(number) + ": expected name:hash");
            rport::sdk::AuthRecord record;
            record.id = line.substr(0, colon);
            record.secret = line.substr(colon + 1);
            record.groups = groups;
            _users[record.id] = std::move(record);
        }
        host.info("htpasswd: " + std::to_string(_users.size()) + " users from " + path);
    }

    std::optional<rport::sdk::AuthRecord> get(std::string_view id) override {
        auto it = _users.find(std::string(id));
        if (it == _users.end()) return std::nullopt;
        return it->second;
    }

    rport::sdk::ListPage list(const rport::sdk::ListQuery& query) override {
        rport::sdk::ListPage page;
        for (const auto& [id, record] : _users) {  // std::map: already sorted by id
            if (!rport::sdk::matches(query, id)) continue;
            if (page.total >= query.offset && page.records.size() < query.limit) page.records.push_back(record);
            ++page.total;
        }
        return page;
    }

private:
    std::map<std::string, rport::sdk::AuthRecord> _users;
};

}  // namespace

// Read-only after create, so any number of threads may call it at once.
RPORT_PLUGIN("htpasswd", "1.0.0",
             rport::sdk::authBackend<HtpasswdStore>(RPORT_KIND_API_AUTH, "htpasswd", RPORT_BACKEND_THREADSAFE),
             rport::sdk::authBackend<HtpasswdStore>(RPORT_KIND_CLIENT_AUTH, "htpasswd", RPORT_BACKEND_THREADSAFE))
