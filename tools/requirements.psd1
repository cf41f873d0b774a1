# Tools the build and the tests need, pinned here as data. pwsh itself is pinned in .config/dotnet-tools.json
# (a local dotnet tool); tools/TestTools restores the modules below from the package source as NuGet packages.
@{
    Pester = '5.7.1'
}
