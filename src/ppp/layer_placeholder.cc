// Placeholder so the ppp layer library exists before its first module lands.
namespace mlppp {}
