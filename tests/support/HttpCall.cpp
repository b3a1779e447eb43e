#include "HttpCall.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cctype>

namespace rport::test {

namespace {

HttpReply exchange(uint16_t port, Poco::Net::HTTPRequest& request, const std::string& body,
                   const std::string& contentType) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    if (!body.empty()) {
        request.setContentType(contentType);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
    } else {
        session.sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = response.getStatus();
    reply.contentType = response.getContentType();
    for (const auto& [name, value] : response) reply.headers.emplace_back(name, value);
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
    for (const auto& [n, v] : headers)
        if (Poco::icompare(n, name) == 0) return v;
    return "";
}

HttpReply httpCall(uint16_t port, const std::string& method, const std::string& path,
                   const std::string& user, const std::string& password, const std::string& body,
                   const std::string& contentType) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    if (!user.empty()) Poco::Net::HTTPBasicCredentials(user, password).authenticate(request);
    return exchange(port, request, body, contentType);
}

HttpReply httpCallWithHeaders(uint16_t port, const std::string& method, const std::string& path,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, const std::string& contentType) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    for (const auto& [name, value] : headers) request.add(name, value);
    return exchange(port, request, body, contentType);
}

std::string percentEncoded(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string errorField(const std::string& body, const std::string& field) {
    try {
        auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        return root->getArray("errors")->getObject(0)->getValue<std::string>(field);
    } catch (const Poco::Exception&) {
        return "";
    }
}

}  // namespace rport::test
