#include "api/handlers/ClientsAuthHandlers.h"

#include <Poco/Logger.h>

#include <cstdio>
#include <rport/password.hpp>

#include "api/ApiError.h"
#include "api/ApiResponse.h"
#include "api/JsonBody.h"
#include "api/query/ListOptions.h"
#include "util/JsonWriter.h"
#include "util/QuotedText.h"
#include "util/Utf8.h"

namespace rportd::api {

namespace {

// The original's minimum length, in bytes, for ids and passwords set
// through the API.
constexpr size_t kMinCredentialLength = 3;

// Every id the API creates appears whole in the log; longer ones (from a
// file edited by hand) are cut there.
constexpr size_t kLoggedIdBytes = 4 * kMaxClientAuthIdCharacters;

// C0 controls, DEL and C1 controls (Unicode's Cc): line breaks, escape
// sequences and the like, which have no business in a name.
bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

std::string codePointName(char32_t c) {
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
    return name;
}

const char* kCodeAlreadyExist = "ERR_CODE_ALREADY_EXIST";
const char* kCodeSingle = "ERR_CODE_CLIENT_AUTH_SINGLE";
const char* kCodeReadOnly = "ERR_CODE_CLIENT_AUTH_RO";
const char* kCodeHasClient = "ERR_CODE_CLIENT_AUTH_HAS_CLIENT";
const char* kCodeNotFound = "ERR_CODE_CLIENT_AUTH_NOT_FOUND";

bool isHashed(const rport::sdk::AuthRecord& r) {
    if (r.secretKind == RPORT_SECRET_HASHED || r.secretKind == RPORT_SECRET_WITHHELD) return true;
    return r.secretKind == RPORT_SECRET_AUTO && rport::sdk::password::isBcryptHash(r.secret);
}

// A store failure as an API error: a store that is down is a 503 the caller
// may retry; anything else is ours (500).
[[noreturn]] void throwStoreFailure(const rport::sdk::CallResult& r) {
    if (r.code == RPORT_E_UNAVAILABLE)
        throw ApiError(503, kCodeAuthBackendUnavailable,
                       "client authentication backend unavailable", r.message);
    throw ApiError(500, kCodeInternal, r.message);
}

// Writes are refused in the original's order: a store that cannot be written
// at all (the static pair), then auth_write = false.
void requireWritable(ClientAuthStore& store, const ClientsAuthOptions& options) {
    if (!store.writable())
        throw ApiError(403, kCodeSingle,
                       "Client authentication is enabled only for a single user.");
    if (!options.authWrite)
        throw ApiError(403, kCodeReadOnly,
                       "Client authentication has been attached in read-only mode.");
}

// Go's strconv.ParseBool.
std::optional<bool> parseGoBool(const std::string& s) {
    for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
        if (s == t) return true;
    for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
        if (s == f) return false;
    return std::nullopt;
}

Poco::Logger& log() { return Poco::Logger::get("api-listener"); }

}  // namespace

std::string newClientAuthIdProblem(std::string_view id) {
    if (id.size() < kMinCredentialLength) return "Min size is 3.";
    size_t characters = 0;
    for (size_t at = 0; at < id.size(); ++characters) {
        const util::Utf8Char ch = util::utf8CharAt(id, at);
        if (ch.length == 0) return "The ID must be UTF-8 text.";
        if (isControl(ch.codePoint))
            return "Control characters are not allowed (" + codePointName(ch.codePoint) +
                   " at character " + std::to_string(characters + 1) + ").";
        at += ch.length;
    }
    if (characters > kMaxClientAuthIdCharacters)
        return "Max size is " + std::to_string(kMaxClientAuthIdCharacters) + " characters.";
    return "";
}

std::string renderClientAuth(const rport::sdk::AuthRecord& record) {
    util::JsonWriter w;
    w.beginObject().key("id").value(record.id).key("password");
    bool hashed = isHashed(record);
    if (hashed)
        w.null();
    else
        w.value(record.secret);
    w.key("password_hashed").value(hashed).endObject();
    return w.take();
}

void addClientsAuthRoutes(Router& router, ClientAuthStore& store, clients::ClientRegistry& clients,
                          ClientsAuthOptions options) {
    const ListRules rules{{"id"}, {}, 50, 500, {}};

    router.add("GET", "/api/v1/clients-auth", Access::Administrators,
               [&store, rules](ApiContext& ctx) {
                   ListOptions parsed = parseListOptions(ctx.query);
                   Page page = validateListOptions(parsed, rules);
                   rport::sdk::ListQuery query;
                   query.conditions = idConditions(parsed);
                   query.offset = page.offset;
                   query.limit = page.limit;
                   rport::sdk::ListPage result;
                   auto r = store.list(query, result);
                   if (!r.ok()) throwStoreFailure(r);
                   util::JsonWriter w;
                   w.beginObject().key("data").beginArray();
                   for (const auto& rec : result.records) w.raw(renderClientAuth(rec));
                   w.endArray()
                       .key("meta")
                       .beginObject()
                       .key("count")
                       .value(result.total)
                       .endObject()
                       .endObject();
                   sendJson(ctx.response, 200, w.str());
               });

    router.add("GET", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators,
               [&store](ApiContext& ctx) {
                   const std::string& id = ctx.param("client_auth_id");
                   std::optional<rport::sdk::AuthRecord> rec;
                   auto r = store.get(id, rec);
                   if (r.code == RPORT_E_NOT_FOUND)
                       throw ApiError(404, kCodeNotFound,
                                      "Client Auth with ID \"" + id + "\" not found");
                   if (!r.ok()) throwStoreFailure(r);
                   sendJson(ctx.response, 200, "{\"data\":" + renderClientAuth(*rec) + "}");
               });

    router.add(
        "POST", "/api/v1/clients-auth", Access::Administrators, [&store, options](ApiContext& ctx) {
            requireWritable(store, options);
            auto body = readJsonObject(ctx, options.maxRequestBytes);
            rejectUnknownFields(*body, {"id", "password"});
            rport::sdk::AuthRecord record;
            record.id = stringField(*body, "id");
            std::string password = stringField(*body, "password");
            if (std::string problem = newClientAuthIdProblem(record.id); !problem.empty())
                throw ApiError(400, kCodeInvalidRequest, "Invalid or missing ID.", problem);
            if (password.size() < kMinCredentialLength)
                throw ApiError(400, kCodeInvalidRequest, "Invalid or missing password.",
                               "Min size is 3.");
            if (options.storeHashed) {
                auto hash = options.hashPassword ? options.hashPassword(password) : std::nullopt;
                if (!hash) throw ApiError(500, kCodeInternal, "cannot hash the password");
                record.secret = *hash;
                record.secretKind = RPORT_SECRET_HASHED;
            } else {
                // Stored as given. A value that is already a bcrypt hash (say from
                // rportd --hash-password) is kept as that hash: the client logs in
                // with the password behind it.
                record.secret = password;
                record.secretKind = RPORT_SECRET_AUTO;
            }
            auto r = store.add(record);
            if (r.code == RPORT_E_EXISTS)
                throw ApiError(409, kCodeAlreadyExist,
                               "Client Auth with ID \"" + record.id + "\" already exist.");
            if (r.code == RPORT_E_READ_ONLY)
                throw ApiError(403, kCodeReadOnly,
                               "Client authentication has been attached in read-only mode.",
                               r.message);
            if (r.code == RPORT_E_INVALID)
                throw ApiError(400, kCodeInvalidRequest, "Invalid client auth.", r.message);
            if (!r.ok()) throwStoreFailure(r);
            log().information("ClientAuth %s created.",
                              util::quotedForLog(record.id, kLoggedIdBytes));
            sendEmpty(ctx.response, 201);
        });

    router.add(
        "DELETE", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators,
        [&store, &clients, options](ApiContext& ctx) {
            requireWritable(store, options);
            const std::string& id = ctx.param("client_auth_id");
            bool force = false;
            // An empty force= is no force at all, as in the original.
            if (auto value = queryParameter(ctx.query, "force"); value && !value->empty()) {
                auto parsed = parseGoBool(*value);
                if (!parsed)
                    throw ApiError(400, kCodeInvalidRequest, "Invalid force param " + *value + ".");
                force = *parsed;
            }
            std::optional<rport::sdk::AuthRecord> rec;
            auto r = store.get(id, rec);
            if (r.code == RPORT_E_NOT_FOUND)
                throw ApiError(404, kCodeNotFound, "Client Auth with ID=\"" + id + "\" not found.");
            if (!r.ok()) throwStoreFailure(r);

            size_t bound = clients.countBoundTo(id);
            if (bound > 0 && !force)
                throw ApiError(
                    409, kCodeHasClient,
                    "Client Auth expected to have no active or disconnected bound client(s), got " +
                        std::to_string(bound) + ".");
            if (bound > 0) clients.removeBoundTo(id);

            r = store.remove(id);
            if (r.code == RPORT_E_NOT_FOUND)  // removed by someone else in between
                throw ApiError(404, kCodeNotFound, "Client Auth with ID=\"" + id + "\" not found.");
            if (!r.ok()) throwStoreFailure(r);
            log().information("ClientAuth %s deleted.", util::quotedForLog(id, kLoggedIdBytes));
            sendEmpty(ctx.response, 204);
        });
}

}  // namespace rportd::api
