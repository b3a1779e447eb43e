#pragma once
// The plugin compiled into sdk_wrapper_test (TestPlugin.cpp). Its backends:
//   client-auth/errors   get() throws or returns per id: "unavailable" (Error
//                        UNAVAILABLE "db down"), "runtime" (std::runtime_error
//                        "boom"), "weird" (throws an int), "invalid" (Error
//                        INVALID "bad id"); anything else: not found. Every
//                        other operation keeps the AuthStore defaults.
//   client-auth/pages    "count" (required) records "id-000".."id-NNN", secret
//                        "pw-<n>"; lists, adds, removes, verifies.
//   api-auth/greedy      like pages, but list() ignores offset and limit, to
//                        test that the sink's stop request is honoured.
//   cert-provider/fixed  bundle from settings "chain"/"key"; renewNow() calls
//                        cert_changed.
//   cert-provider/empty  has no certificate; cannot renew.
#include <rport/plugin.h>

extern "C" int32_t rport_plugin_entry_v1(const rport_host_v1* host, const rport_plugin_v1** plugin);
