#include "http/ResponseWriter.h"

#include <charconv>

#include "http/ErrorBody.h"
#include "http/HttpDate.h"
#include "http/HttpSyntax.h"
#include "http/StatusReason.h"

namespace rportd::http {

namespace {

bool isServerOwned(std::string_view name) {
    return equalsIgnoreCase(name, "content-length") || equalsIgnoreCase(name, "transfer-encoding") ||
           equalsIgnoreCase(name, "connection");
}

bool isSendable(const std::pair<std::string, std::string>& header) {
    if (!isToken(header.first)) return false;
    for (char c : header.second) {
        if (!isFieldValueChar(c)) return false;
    }
    return true;
}

void appendNumber(std::string& out, size_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

}  // namespace

bool handlerAsksToClose(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
        if (equalsIgnoreCase(name, "connection") && listContainsToken(value, "close")) return true;
    }
    return false;
}

bool appendSwitchingProtocols(std::string& out, const HttpResponse& response) {
    for (const auto& header : response.headers) {
        if (!isSendable(header)) return false;
    }
    out += "HTTP/1.1 101 Switching Protocols\r\n";
    for (const auto& [name, value] : response.headers) appendHeader(out, name, value);
    out += "\r\n";
    return true;
}

bool appendResponse(std::string& out, const HttpResponse& response, const ResponseFraming& framing) {
    if (response.status < 200 || response.status > 599) return false;
    bool hasDate = false;
    for (const auto& header : response.headers) {
        if (!isSendable(header)) return false;
        hasDate = hasDate || equalsIgnoreCase(header.first, "date");
    }
    // RFC 9110 6.4.1: 204 and 304 never have content, so no Content-Length either.
    const bool bodyless = response.status == 204 || response.status == 304;
    const bool sendBody = !bodyless && !framing.headRequest;

    out.reserve(out.size() + 128 + response.headers.size() * 48 + (sendBody ? response.body.size() : 0));
    out += "HTTP/1.1 ";
    appendNumber(out, static_cast<size_t>(response.status));
    out += ' ';
    out += reasonPhrase(response.status);
    out += "\r\n";
    for (const auto& [name, value] : response.headers) {
        if (!isServerOwned(name)) appendHeader(out, name, value);
    }
    if (!bodyless) {
        out += "Content-Length: ";
        appendNumber(out, response.body.size());  // for HEAD: what a GET would carry
        out += "\r\n";
    }
    if (!hasDate) appendHeader(out, "Date", currentHttpDate());
    if (framing.close) {
        out += "Connection: close\r\n";
    } else if (framing.http10KeepAlive) {
        out += "Connection: keep-alive\r\n";
    }
    out += "\r\n";
    if (sendBody) out += response.body;
    return true;
}

void appendErrorResponse(std::string& out, int status, std::string_view code, std::string_view title,
                         const ResponseFraming& framing) {
    HttpResponse response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json");
    response.body = jsonErrorBody(code, title);
    appendResponse(out, response, framing);
}

void appendContinue(std::string& out) { out += "HTTP/1.1 100 Continue\r\n\r\n"; }

}  // namespace rportd::http
