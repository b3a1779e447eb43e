#include "api/Router.h"

#include <algorithm>

#include "http/HttpSyntax.h"

namespace rportd::api {

namespace {

// Adds a method to an Allow list once; GET brings HEAD along.
void addAllowed(std::vector<std::string>& allowed, const std::string& method) {
    auto addOnce = [&allowed](const std::string& m) {
        if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) allowed.push_back(m);
    };
    addOnce(method);
    if (method == "GET") addOnce("HEAD");
}

}  // namespace

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> parts;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    size_t start = 0;
    while (true) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            parts.push_back(path.substr(start));
            break;
        }
        parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

void Router::add(std::string method, std::string pattern, Access access, Handler handler, bool nonBlocking) {
    Compiled c{Route{std::move(method), std::move(pattern), access, std::move(handler), nonBlocking}, {}};
    for (auto s : splitPath(c.route.pattern)) c.segments.emplace_back(s);
    _routes.push_back(std::move(c));
}

bool Router::matchSegments(const Compiled& c, const std::vector<std::string>& parts,
                           std::vector<std::pair<std::string, std::string>>* params) {
    if (c.segments.size() != parts.size()) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& seg = c.segments[i];
        bool variable = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
        if (variable) {
            if (parts[i].empty()) return false;
            if (params) params->emplace_back(seg.substr(1, seg.size() - 2), parts[i]);
        } else if (seg != parts[i]) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match m;
    // Split first, decode afterwards: a decoded "/" must not start a new segment.
    std::vector<std::string> parts;
    for (std::string_view raw : splitPath(path)) {
        parts.emplace_back();
        if (!http::percentDecode(raw, parts.back())) {
            m.kind = Match::Kind::InvalidPath;
            return m;
        }
    }
    const Compiled* exact = nullptr;
    const Compiled* getForHead = nullptr;
    for (const auto& c : _routes) {
        if (!matchSegments(c, parts, nullptr)) continue;
        if (c.route.method == method) {
            exact = &c;
            break;
        }
        if (method == "HEAD" && c.route.method == "GET" && getForHead == nullptr) getForHead = &c;
        addAllowed(m.allowedMethods, c.route.method);
    }
    const Compiled* chosen = exact != nullptr ? exact : getForHead;
    if (chosen != nullptr) {
        m.kind = Match::Kind::Found;
        m.route = &chosen->route;
        m.allowedMethods.clear();
        matchSegments(*chosen, parts, &m.params);
    } else if (!m.allowedMethods.empty()) {
        m.kind = Match::Kind::MethodNotAllowed;
    }
    return m;
}

std::vector<std::string> Router::methods() const {
    std::vector<std::string> all;
    for (const auto& c : _routes) addAllowed(all, c.route.method);
    return all;
}

std::vector<std::string> Router::signatures() const {
    std::vector<std::string> all;
    all.reserve(_routes.size());
    for (const auto& c : _routes) all.push_back(c.route.method + " " + c.route.pattern);
    return all;
}

}  // namespace rportd::api
