#include "http/HttpRequest.h"

#include "http/HttpSyntax.h"

namespace rportd::http {

std::string_view HttpRequest::path() const {
    std::string_view t(target);
    return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
    std::string_view t(target);
    size_t mark = t.find('?');
    return mark == std::string_view::npos ? std::string_view() : t.substr(mark + 1);
}

const std::string* HttpRequest::header(std::string_view name) const {
    for (const auto& field : headers) {
        if (equalsIgnoreCase(field.first, name)) return &field.second;
    }
    return nullptr;
}

}  // namespace rportd::http
