global using NUnit.Framework;
global using Telephony.Testing;
