#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and {name}
// variables that match one non-empty segment, as gorilla/mux does for the
// original. A path that exists with another method is a 405, not a 404.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/ApiContext.h"

namespace rportd::api {

enum class Access { Public, Authenticated, Administrators };

using Handler = std::function<void(ApiContext&)>;

struct Route {
    std::string method;
    std::string pattern;
    Access access;
    Handler handler;
    // The handler never blocks, so the route may be answered on the event
    // loop (authentication still moves it to the pool when it would block).
    bool nonBlocking = false;
};

class Router {
public:
    void add(std::string method, std::string pattern, Access access, Handler handler, bool nonBlocking = false);

    struct Match {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const Route* route = nullptr;
        std::vector<std::pair<std::string, std::string>> params;
        std::vector<std::string> allowedMethods;  // for 405
    };
    Match match(std::string_view method, std::string_view path) const;

private:
    struct Compiled {
        Route route;
        std::vector<std::string> segments;  // "{name}" marks a variable
    };
    static bool matchSegments(const Compiled& c, const std::vector<std::string_view>& parts,
                              std::vector<std::pair<std::string, std::string>>* params);

    std::vector<Compiled> _routes;
};

// Splits "/a/b/c" into its segments; a trailing slash gives a last empty one.
std::vector<std::string_view> splitPath(std::string_view path);

}  // namespace rportd::api
