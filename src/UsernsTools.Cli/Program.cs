Console.WriteLine("usernstools");
