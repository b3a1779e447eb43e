#include "api/handlers/LoginHandlers.h"

#include "api/ApiResponse.h"
#include "api/BasicCredentials.h"
#include "api/JsonBody.h"
#include "api/query/ListOptions.h"
#include "util/JsonWriter.h"

namespace rportd::api {

namespace {

struct LoginForm {
    std::string username;
    std::string password;
    std::string newPassword;
};

// The original accepts exactly these two types, parameters and all: a
// client sending "application/json; charset=utf-8" gets a 400 there too.
LoginForm readLoginBody(ApiContext& ctx, size_t maxRequestBytes) {
    const std::string* type = ctx.request.header("Content-Type");
    std::string contentType = type ? *type : "";
    LoginForm form;
    if (contentType == "application/json") {
        Poco::JSON::Object::Ptr body = readJsonObject(ctx, maxRequestBytes);
        rejectUnknownFields(*body, {"username", "password", "new_password"});
        form.username = stringField(*body, "username");
        form.password = stringField(*body, "password");
        form.newPassword = stringField(*body, "new_password");
        return form;
    }
    if (contentType == "application/x-www-form-urlencoded") {
        if (ctx.request.bodyTooLarge || ctx.request.body.size() > maxRequestBytes)
            throw ApiError(
                400, kCodeRequestTooLarge,
                "Request data exceeds the limit of " + std::to_string(maxRequestBytes) + " bytes")
                .closeConnection();
        const std::string& body = ctx.request.body;
        form.username = queryParameter(body, "username").value_or("");
        form.password = queryParameter(body, "password").value_or("");
        form.newPassword = queryParameter(body, "new_password").value_or("");
        return form;
    }
    throw ApiError(400, kCodeInvalidRequest, "unsupported content type: " + contentType);
}

void answerLogin(ApiContext& ctx, ApiAuthenticator& auth, const std::string& username,
                 const std::string& password, const std::string& newPassword) {
    ApiUser user = auth.checkPassword(username, password, ctx.sourceAddress);
    // Parsed after the password check, as in the original.
    int64_t lifetime = auth.tokenLifetime(queryParameter(ctx.query, "token-lifetime").value_or(""));
    if (!newPassword.empty())
        // api-auth plugins offer no password change (ABI 1.x); saying so is
        // better than a login that silently keeps the old password.
        throw ApiError(400, kCodeInvalidRequest, "changing the password at login is not supported",
                       "change it in the user store ([api] auth, auth_file or the users table)");
    util::JsonWriter w;
    w.beginObject().key("data").beginObject();
    w.key("token").value(auth.issueToken(user, lifetime, ctx.request, ctx.sourceAddress));
    w.key("two_fa").null();
    w.endObject().endObject();
    sendJson(ctx.response, 200, w.str());
}

std::string renderMe(const ApiUser& user) {
    util::JsonWriter w;
    w.beginObject().key("data").beginObject();
    w.key("username").value(user.username);
    w.key("password_expired").value(false);
    w.key("groups").stringArray(user.groups);
    w.key("two_fa_send_to").value("");
    // Without group permissions (none of our user stores has them yet)
    // everyone may do everything, as in the original.
    w.key("effective_user_permissions").beginObject();
    for (const char* permission : {"auditlog", "commands", "monitoring", "scheduler", "scripts",
                                   "tunnels", "uploads", "vault"})
        w.key(permission).value(true);
    w.endObject();
    w.key("effective_extended_permissions").beginObject();
    w.key("tunnels_restricted").null().key("commands_restricted").null();
    w.endObject();
    w.key("group_permissions_enabled").value(false);
    w.endObject().endObject();
    return w.take();
}

}  // namespace

void addLoginRoutes(Router& router, ApiAuthenticator& auth, size_t maxRequestBytes) {
    router.add("GET", "/api/v1/login", Access::Public, [&auth](ApiContext& ctx) {
        const std::string* header = ctx.request.header("Authorization");
        std::optional<BasicCredentials> credentials =
            header ? parseBasicAuthorization(*header) : std::nullopt;
        if (!credentials) throw ApiError(401, kCodeUnauthorized, "auth is required");
        answerLogin(ctx, auth, credentials->username, credentials->password, "");
    });
    router.add("POST", "/api/v1/login", Access::Public, [&auth, maxRequestBytes](ApiContext& ctx) {
        LoginForm form = readLoginBody(ctx, maxRequestBytes);
        answerLogin(ctx, auth, form.username, form.password, form.newPassword);
    });
    router.add("DELETE", "/api/v1/logout", Access::Public, [&auth](ApiContext& ctx) {
        auth.revoke(ctx.request, ctx.sourceAddress);
        sendEmpty(ctx.response, 204);
    });
    // The personal token routes of older releases, retired by the original
    // with a pointer to their successor.
    for (const char* method : {"GET", "POST", "DELETE"})
        router.add(
            method, "/api/v1/me/token", Access::Authenticated,
            [](ApiContext&) {
                throw ApiError(410, kCodeGone, "use new token management on /me/tokens");
            },
            /*nonBlocking=*/true);
    router.add(
        "GET", "/api/v1/me", Access::Authenticated,
        [](ApiContext& ctx) { sendJson(ctx.response, 200, renderMe(*ctx.user)); },
        /*nonBlocking=*/true);
}

}  // namespace rportd::api
