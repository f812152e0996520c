#include "ppp/ecp/default_codecs.h"

#include <openssl/crypto.h>

#include "ppp/ecp/dese.h"

namespace mlppp::ppp {
namespace {

Result<ecp::DeseParams> ParamsFor(const EcpDirection& d, const std::string& secret) {
  if (d.method == EcpMethod::kNone) return Status::Error("no method");
  if (secret.empty()) return Status::Error("no `set ecp key`");
  ecp::DeseParams p;
  p.bis = d.method == EcpMethod::kDeseBis;
  p.key = ecp::DeseKeyFromSecret(secret);
  p.nonce = d.nonce;
  return p;
}

}  // namespace

DefaultEcpCodecs::~DefaultEcpCodecs() { OPENSSL_cleanse(secret_.data(), secret_.size()); }

Result<std::unique_ptr<ccp::Encoder>> DefaultEcpCodecs::MakeEncoder(const EcpDirection& d) {
  auto p = ParamsFor(d, secret_);
  if (!p) return p.status();
  auto e = ecp::MakeDeseEncoder(*p);
  OPENSSL_cleanse(p->key.data(), p->key.size());
  return e;
}

Result<std::unique_ptr<ccp::Decoder>> DefaultEcpCodecs::MakeDecoder(const EcpDirection& d) {
  auto p = ParamsFor(d, secret_);
  if (!p) return p.status();
  auto dec = ecp::MakeDeseDecoder(*p);
  OPENSSL_cleanse(p->key.data(), p->key.size());
  return dec;
}

}  // namespace mlppp::ppp
