#pragma once
// What the plain-HTTP listener on [server] acme_http_port answers, like the
// original's: /.well-known/acme-challenge/<token> from the tokens plugins
// publish (Http01Tokens) or, failing that, from a webroot directory that
// `certbot --webroot -w <dir>` writes into; any other GET or HEAD is
// redirected (302) to the same path over HTTPS; other methods get 400.
#include <string>

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"
#include "plugin_host/Http01Tokens.h"

namespace rportd::acme {

class ChallengeResponder {
public:
    // webroot may be empty (no files served).
    ChallengeResponder(const plugin_host::Http01Tokens& tokens, std::string webroot)
        : _tokens(tokens), _webroot(std::move(webroot)) {}

    // Answers from the published tokens and redirects without touching the
    // disk; false for a token only the webroot can answer (a file read).
    bool answerWithoutDisk(const http::HttpRequest& request, http::HttpResponse& response) const;
    // Everything, including the webroot.
    void answer(const http::HttpRequest& request, http::HttpResponse& response) const;

    static constexpr const char* kChallengePrefix = "/.well-known/acme-challenge/";

private:
    bool readFromWebroot(const std::string& token, std::string& content) const;

    const plugin_host::Http01Tokens& _tokens;
    const std::string _webroot;
};

}  // namespace rportd::acme
