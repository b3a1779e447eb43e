#include "api/Router.h"

namespace rportd::api {

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

bool Router::matchSegments(const Compiled& c, const std::vector<std::string_view>& parts,
                           std::vector<std::pair<std::string, std::string>>* params) {
    if (c.segments.size() != parts.size()) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& seg = c.segments[i];
        bool variable = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
        if (variable) {
            if (parts[i].empty()) return false;
            if (params) params->emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
        } else if (seg != parts[i]) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match m;
    auto parts = splitPath(path);
    for (const auto& c : _routes) {
        if (!matchSegments(c, parts, nullptr)) continue;
        if (c.route.method == method) {
            m.kind = Match::Kind::Found;
            m.route = &c.route;
            matchSegments(c, parts, &m.params);
            return m;
        }
        m.kind = Match::Kind::MethodNotAllowed;
        m.allowedMethods.push_back(c.route.method);
    }
    return m;
}

}  // namespace rportd::api
