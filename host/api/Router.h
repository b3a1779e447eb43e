#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and {name}
// variables that match one non-empty segment, as gorilla/mux does for the
// original. A path that exists with another method is a 405, not a 404.
//
// The path is matched as it arrives, still percent-encoded: it is split at
// '/' first and each segment decoded afterwards, so an escaped slash (%2F)
// stays inside its segment ("/clients-auth/x%2Fy" addresses the id "x/y").
// A HEAD request is served by the GET route of its path unless a HEAD route
// of its own exists, and HEAD is listed wherever GET is allowed.
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
        enum class Kind {
            Found,
            NotFound,
            MethodNotAllowed,
            InvalidPath,  // a '%' not followed by two hex digits: the request is malformed (400)
        } kind = Kind::NotFound;
        const Route* route = nullptr;
        std::vector<std::pair<std::string, std::string>> params;  // decoded
        std::vector<std::string> allowedMethods;  // for 405, in registration order, HEAD after GET
    };
    // `path` is the raw (not decoded) path of the request target, without the query.
    Match match(std::string_view method, std::string_view path) const;

    // Every method some route answers, as for 405 (what "OPTIONS *" lists).
    std::vector<std::string> methods() const;

    // Every route as "METHOD /pattern", in registration order: logged at
    // start, so that tests can check they cover every route there is.
    std::vector<std::string> signatures() const;

private:
    struct Compiled {
        Route route;
        std::vector<std::string> segments;  // "{name}" marks a variable
    };
    static bool matchSegments(const Compiled& c, const std::vector<std::string>& parts,
                              std::vector<std::pair<std::string, std::string>>* params);

    std::vector<Compiled> _routes;
};

// Splits "/a/b/c" into its segments; a trailing slash gives a last empty one.
std::vector<std::string_view> splitPath(std::string_view path);

}  // namespace rportd::api
