global using NUnit.Framework;
global using Telephony.Tickets.Domain;
